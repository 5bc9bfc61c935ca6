package dev.controlroom.agent.extract;

import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Fingerprint;
import dev.controlroom.domain.ModelNames;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One normalised event extracted from an agent's output. */
public sealed interface AgentEvent {
    /** Tool output and error messages are kept to about this many characters: enough to see what went wrong, not a copy of the log. */
    int MAX_OUTPUT_CHARS = 2048;

    /** The stable name of the event kind: session_started, message, tool_call, ... (as stored in the event log). */
    EventType type();

    /**
     * The CLI started (or resumed) its own session; {@code nativeSessionId} is what resuming needs. The model
     * is kept by its {@link ModelNames#canonical} name; {@code cliVersion} is the version the CLI says it is,
     * when its stream says it (Claude Code's {@code claude_code_version}).
     */
    record SessionStarted(String nativeSessionId, Optional<String> model, Optional<String> cwd, Optional<String> cliVersion)
            implements AgentEvent {
        public SessionStarted {
            Objects.requireNonNull(nativeSessionId, "nativeSessionId");
            model = ModelNames.canonical(Objects.requireNonNull(model, "model"));
            Objects.requireNonNull(cwd, "cwd");
            Objects.requireNonNull(cliVersion, "cliVersion");
        }

        /** A stream that does not say the CLI's version. */
        public SessionStarted(String nativeSessionId, Optional<String> model, Optional<String> cwd) {
            this(nativeSessionId, model, cwd, Optional.empty());
        }

        @Override
        public EventType type() {
            return EventType.SESSION_STARTED;
        }
    }

    /** Text the assistant wrote. */
    record Message(String text) implements AgentEvent {
        public Message {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public EventType type() {
            return EventType.MESSAGE;
        }
    }

    /**
     * The CLI's own retry of a failed request (Claude's {@code system/api_retry}): the CLI is at
     * work, not stuck, and will try again after {@code delayMs}.
     */
    record ProviderRetry(int attempt, Optional<Integer> maxRetries, Optional<Integer> status, Optional<Long> delayMs, String detail)
            implements AgentEvent {
        public ProviderRetry {
            Objects.requireNonNull(maxRetries, "maxRetries");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(delayMs, "delayMs");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public EventType type() {
            return EventType.PROVIDER_RETRY;
        }
    }

    /** The agent called a tool; {@code inputJson} is the tool's input as compact JSON. */
    record ToolCall(String tool, String inputJson, Optional<String> callId) implements AgentEvent {
        public ToolCall {
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(inputJson, "inputJson");
            Objects.requireNonNull(callId, "callId");
        }

        @Override
        public EventType type() {
            return EventType.TOOL_CALL;
        }
    }

    /** What a tool returned; the output is cut to about {@link #MAX_OUTPUT_CHARS} characters. */
    record ToolResult(Optional<String> callId, boolean isError, String output) implements AgentEvent {
        public ToolResult {
            Objects.requireNonNull(callId, "callId");
            output = clip(Objects.requireNonNull(output, "output"), MAX_OUTPUT_CHARS);
        }

        @Override
        public EventType type() {
            return EventType.TOOL_RESULT;
        }
    }

    /** A file the agent added, changed, deleted or (over)wrote; {@code kind} is add, update, delete or write. */
    record FileChange(String path, String kind) implements AgentEvent {
        public FileChange {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public EventType type() {
            return EventType.FILE_CHANGE;
        }
    }

    /** The agent waits for the human; {@code permission} when it asks to be allowed to do something (yes/no). */
    record NeedsInput(String question, boolean permission) implements AgentEvent {
        public NeedsInput {
            Objects.requireNonNull(question, "question");
        }

        @Override
        public EventType type() {
            return EventType.NEEDS_INPUT;
        }
    }

    /** The provider refused for now; {@code resetAt} when the output said when it may be tried again. */
    record RateLimited(Optional<Instant> resetAt, String detail) implements AgentEvent {
        public RateLimited {
            Objects.requireNonNull(resetAt, "resetAt");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public EventType type() {
            return EventType.RATE_LIMITED;
        }
    }

    /**
     * Tokens used, as the CLI reported them. {@code inputTokens} counts only input not read from or
     * written to the cache (Anthropic style); a CLI that reports cached input inside its input total has
     * it split off into {@code cacheReadTokens} and {@code cacheWriteTokens}, so the four counts never
     * overlap. The model is kept by its {@link ModelNames#canonical} name; the cost is the CLI's own estimate.
     */
    record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
                 Optional<String> model, Optional<Double> reportedCostUsd) implements AgentEvent {
        public Usage {
            model = ModelNames.canonical(Objects.requireNonNull(model, "model"));
            Objects.requireNonNull(reportedCostUsd, "reportedCostUsd");
        }

        /** Whether any token was counted. */
        public boolean counted() {
            return inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens > 0;
        }

        /** The same counts, on {@code fallback} when the CLI named no model here. */
        public Usage orModel(Optional<String> fallback) {
            return model.isPresent() ? this : new Usage(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, fallback,
                    reportedCostUsd);
        }

        @Override
        public EventType type() {
            return EventType.USAGE;
        }
    }

    /** The agent finished answering the prompt (successfully or not) and is idle. */
    record TurnEnd(boolean isError, Optional<String> result, Optional<Integer> turns, Optional<Long> durationMs)
            implements AgentEvent {
        public TurnEnd {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(turns, "turns");
            Objects.requireNonNull(durationMs, "durationMs");
        }

        @Override
        public EventType type() {
            return EventType.TURN_END;
        }
    }

    /** Something failed; the same failure elsewhere (other file, line, attempt) has the same {@code fingerprint}. */
    record Error(String message, String fingerprint, Optional<Integer> httpStatus) implements AgentEvent {
        public Error {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(httpStatus, "httpStatus");
        }

        public Error(String message, String fingerprint) {
            this(message, fingerprint, Optional.empty());
        }

        /** An error with its message trimmed and cut to about {@link #MAX_OUTPUT_CHARS}, fingerprinted with {@link Fingerprint#of}. */
        public static Error of(String message) {
            String text = clip(message.strip(), MAX_OUTPUT_CHARS);
            return new Error(text, Fingerprint.of(text));
        }

        /** The same error, with the HTTP status the provider answered (when the CLI says it). */
        public Error withStatus(Optional<Integer> status) {
            return new Error(message, fingerprint, status);
        }

        @Override
        public EventType type() {
            return EventType.ERROR;
        }
    }

    /** A test run's summary; {@code failed} includes tests that errored. */
    record TestResult(String framework, int passed, int failed, int skipped) implements AgentEvent {
        public TestResult {
            Objects.requireNonNull(framework, "framework");
        }

        @Override
        public EventType type() {
            return EventType.TEST_RESULT;
        }
    }

    /** Cuts {@code text} to about {@code max} characters, saying how much was left out, never splitting a surrogate pair. */
    private static String clip(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int keep = max - 40;
        if (Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;
        }
        return text.substring(0, keep) + "… [" + (text.length() - keep) + " more chars]";
    }
}
