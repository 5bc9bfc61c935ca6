package dev.controlroom.agent.extract;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Recognises "come back later" in any text, and when later is, if the text says. */
final class RateLimits {
    /** Each cue is tried only when the lower-cased line holds its key words: most lines hold none. */
    private static final Pattern RATE_LIMIT = Pattern.compile("(?i)\\brate[ _-]?limit(?:ed|s|_error|_exceeded)?\\b(?!\\s*[:=]\\s*\\d)");
    private static final Pattern STATUS_429 = Pattern.compile("(?i)\\b(?:http|status|code|error)\\D{0,12}429\\b|\\b429\\b\\s*[:-]?\\s*too many");
    private static final Pattern NAMED_LIMIT = Pattern.compile("(?i)\\bhit (?:your|the) (?:[\\w-]+ )?limit"
            + "|\\b(?:session|weekly|daily|hourly|\\d+[- ]hour) limit\\b");
    private static final Pattern QUOTA = Pattern.compile("(?i)\\bquota (?:exceeded|exhausted)|\\bexceeded (?:your |the )?(?:current )?quota");
    private static final Pattern TRY_AGAIN = Pattern.compile("(?i)\\btry again in \\d|\\bretry[ -]after[:\\s]+\\d");

    private static final String UNIT = "milliseconds?|ms|minutes?|mins?|m|seconds?|secs?|s|hours?|hrs?|h|days?|d";
    private static final String AMOUNT = "\\d+(?:\\.\\d+)?\\s*(?:" + UNIT + ")(?![a-z])";
    private static final Pattern RELATIVE = Pattern.compile("(?i)\\b(?:try again|retry|resets?|available again|wait)"
            + "\\D{0,20}?\\bin\\s+(" + AMOUNT + "(?:[\\s,]*(?:and\\s+)?" + AMOUNT + ")*)");
    private static final Pattern PART = Pattern.compile("(?i)(\\d+(?:\\.\\d+)?)\\s*(" + UNIT + ")");
    private static final Pattern RETRY_AFTER = Pattern.compile("(?i)\\bretry[ -]after[:\\s]+(\\d+)\\s*(" + UNIT + ")?(?![a-z])");
    private static final Pattern EPOCH_AFTER_BAR = Pattern.compile("(?i)limit reached\\|(\\d{10,13})\\b");
    private static final Pattern ISO = Pattern.compile("(?i)\\breset\\w*\\D{0,12}?(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?"
            + "(?:Z|[+-]\\d{2}:?\\d{2}))");
    private static final Pattern CLOCK_TIME = Pattern.compile("(?i)\\bresets?(?:\\s+at)?\\s+(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm)?\\b"
            + "(?:\\s*\\(([A-Za-z_]+(?:/[A-Za-z0-9_+-]+)*)\\))?");

    private RateLimits() {
    }

    /** Whether the line says a limit was hit; {@code lower} is the line lower-cased (the caller has it already). */
    static boolean mentions(String text, String lower) {
        if (lower.contains("too many requests") || lower.contains("usage limit") || lower.contains("resource_exhausted")) {
            return true;
        }
        if (lower.contains("limit")) {
            if ((lower.contains("rate limit") || lower.contains("rate_limit") || lower.contains("rate-limit") || lower.contains("ratelimit"))
                    && RATE_LIMIT.matcher(text).find()) {
                return true;
            }
            if ((lower.contains("hit ") || lower.contains("hour") || lower.contains("session") || lower.contains("daily")
                    || lower.contains("weekly")) && NAMED_LIMIT.matcher(text).find()) {
                return true;
            }
        }
        return lower.contains("429") && STATUS_429.matcher(text).find()
                || lower.contains("quota") && QUOTA.matcher(text).find()
                || (lower.contains("try again in") || lower.contains("retry after") || lower.contains("retry-after"))
                && TRY_AGAIN.matcher(text).find();
    }

    /** The text as a rate limit when it is one. */
    static Optional<AgentEvent.RateLimited> detect(String text, Clock clock) {
        if (!mentions(text, text.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        return Optional.of(new AgentEvent.RateLimited(resetTime(text, clock), text.strip()));
    }

    /** A failure report: a rate limit when the event said so ({@code saidLimited}: HTTP 429, error type rate_limit) or its text does, an error otherwise. */
    static AgentEvent failure(String text, boolean saidLimited, Clock clock) {
        if (saidLimited) {
            return new AgentEvent.RateLimited(resetTime(text, clock), text.strip());
        }
        return detect(text, clock).<AgentEvent>map(r -> r).orElseGet(() -> AgentEvent.Error.of(text));
    }

    /**
     * When the text says the limit ends: after a relative wait ("try again in 20s", "in 1h 30m",
     * "Retry-After: 30"), at a clock time ("resets at 5pm", "resets 14:00 (Europe/Berlin)": the next
     * such time, in the zone given or the clock's), at an ISO instant, or at epoch seconds after "|".
     */
    static Optional<Instant> resetTime(String text, Clock clock) {
        Matcher m = EPOCH_AFTER_BAR.matcher(text);
        if (m.find()) {
            return Optional.of(epoch(Long.parseLong(m.group(1))));
        }
        m = RELATIVE.matcher(text);
        if (m.find()) {
            return Optional.of(clock.instant().plus(duration(m.group(1))));
        }
        m = RETRY_AFTER.matcher(text);
        if (m.find()) {
            String unit = m.group(2) == null ? "s" : m.group(2);
            return Optional.of(clock.instant().plus(duration(m.group(1) + unit)));
        }
        m = ISO.matcher(text);
        if (m.find()) {
            return instant(m.group(1));
        }
        m = CLOCK_TIME.matcher(text);
        while (m.find()) {
            if (m.group(2) != null || m.group(3) != null) {
                return nextClockTime(m, clock);
            }
        }
        return Optional.empty();
    }

    /** Epoch seconds, or milliseconds when the number is too large to be seconds. */
    static Instant epoch(long value) {
        return value > 100_000_000_000L ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
    }

    /** An ISO instant or offset date-time, or epoch seconds/millis written as text. */
    static Optional<Instant> instant(String text) {
        String t = text.strip();
        if (t.matches("\\d{9,13}")) {
            return Optional.of(epoch(Long.parseLong(t)));
        }
        try {
            return Optional.of(OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(Instant.parse(t));
            } catch (DateTimeParseException again) {
                return Optional.empty();
            }
        }
    }

    private static Duration duration(String amounts) {
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(amounts);
        while (part.find()) {
            double n = Double.parseDouble(part.group(1));
            String unit = part.group(2).toLowerCase(Locale.ROOT);
            double seconds = switch (unit.charAt(0)) {
                case 'd' -> n * 86_400;
                case 'h' -> n * 3_600;
                case 'm' -> unit.equals("m") || unit.startsWith("min") ? n * 60 : n / 1_000;
                default -> n;
            };
            total = total.plusMillis(Math.round(seconds * 1_000));
        }
        return total;
    }

    private static Optional<Instant> nextClockTime(Matcher m, Clock clock) {
        int hour = Integer.parseInt(m.group(1));
        int minute = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        String half = m.group(3) == null ? "" : m.group(3).toLowerCase(Locale.ROOT);
        if (half.equals("pm") && hour < 12) {
            hour += 12;
        } else if (half.equals("am") && hour == 12) {
            hour = 0;
        }
        if (hour > 23 || minute > 59) {
            return Optional.empty();
        }
        ZoneId zone = clock.getZone();
        if (m.group(4) != null) {
            try {
                zone = ZoneId.of(m.group(4));
            } catch (DateTimeException e) {
                // not a zone name after all ("(approx)"): the local zone it is
            }
        }
        ZonedDateTime now = clock.instant().atZone(zone);
        ZonedDateTime at = now.with(LocalTime.of(hour, minute));
        return Optional.of((at.isAfter(now) ? at : at.plusDays(1)).toInstant());
    }
}
