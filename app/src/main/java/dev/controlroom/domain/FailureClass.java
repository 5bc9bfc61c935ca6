package dev.controlroom.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why an attempt failed, in classes an operator can act on. The class decides what happens next
 * (an authentication failure is not retried, an overloaded provider is waited for) and is stored
 * with the failure so failures can be counted by cause.
 */
public enum FailureClass {
    /** The API refused the key or the account (401, 403): retrying cannot help; a person must fix it. */
    AUTH,
    /** The provider limits this account (429): the task is parked until the limit resets. */
    RATE_LIMIT,
    /** The provider is overloaded or failing (5xx, 529, connection errors): wait and try again. */
    PROVIDER,
    /** The request itself was refused (400, 404, 413, 422): the same request fails again; no blind retry. */
    BAD_REQUEST,
    /** The watchdog found the agent making no progress, or repeating one error. */
    STUCK,
    /** The attempt ran past the task's timeout. */
    TIMEOUT,
    /** The agent finished but the task's verification failed. */
    VERIFY,
    /** The agent asked a question where nobody could answer it (a run without a person at the terminal): asking again cannot help. */
    NEEDS_INPUT,
    /** The agent (or the command) failed on its own: a non-zero exit, a failed turn, a crash. */
    AGENT,
    /** The session's process could not be started. */
    NOT_STARTED,
    /** A person cancelled it. */
    CANCELLED,
    /** A task it depends on failed. */
    BLOCKED;

    private static final Pattern STATUS = Pattern.compile("(?<![\\d.])(4\\d\\d|5\\d\\d)(?![\\d.])");

    /** The stored name ({@code rate_limit}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FailureClass> fromId(String id) {
        try {
            return Optional.of(valueOf(id.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** Whether another attempt of the same request can do better. */
    public boolean retryable() {
        return this != AUTH && this != BAD_REQUEST && this != NEEDS_INPUT;
    }

    /** The class of an HTTP status a provider answered with; empty for one that is not an error. */
    public static Optional<FailureClass> ofStatus(int status) {
        if (status == 401 || status == 403) {
            return Optional.of(AUTH);
        }
        if (status == 429) {
            return Optional.of(RATE_LIMIT);
        }
        if (status == 408 || status >= 500 && status <= 599) {
            return Optional.of(PROVIDER);
        }
        if (status >= 400 && status <= 499) {
            return Optional.of(BAD_REQUEST);
        }
        return Optional.empty();
    }

    /**
     * The class of an API error as a CLI prints it ("API Error: 529 {…overloaded_error…}",
     * "unexpected status 401 Unauthorized", "invalid x-api-key"); empty when the text names no
     * provider error (the agent's own failure).
     */
    public static Optional<FailureClass> ofApiError(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains("authentication_error") || t.contains("invalid api key") || t.contains("invalid x-api-key")
                || t.contains("unauthorized") || t.contains("permission_error") || t.contains("invalid_api_key")
                || t.contains("incorrect api key") || t.contains("/login")) {
            return Optional.of(AUTH);
        }
        if (t.contains("rate_limit") || t.contains("rate limit") || t.contains("too many requests")) {
            return Optional.of(RATE_LIMIT);
        }
        if (t.contains("overloaded") || t.contains("server_error") || t.contains("internal server error") || t.contains("bad gateway")
                || t.contains("service unavailable") || t.contains("econnrefused") || t.contains("econnreset")
                || t.contains("connection error") || t.contains("stream disconnected")) {
            return Optional.of(PROVIDER);
        }
        if (t.contains("invalid_request_error") || t.contains("not_found_error") || t.contains("request_too_large")
                || t.contains("bad request")) {
            return Optional.of(BAD_REQUEST);
        }
        if (t.contains("api error") || t.contains("status") || t.contains("http")) {
            Matcher m = STATUS.matcher(t);
            if (m.find()) {
                return ofStatus(Integer.parseInt(m.group(1)));
            }
        }
        return Optional.empty();
    }
}
