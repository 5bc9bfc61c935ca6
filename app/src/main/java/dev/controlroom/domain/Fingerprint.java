package dev.controlroom.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Groups errors that are the same failure: what varies between two occurrences (file, line, attempt,
 * id, time, quoted name) is replaced by a placeholder before hashing.
 */
public final class Fingerprint {
    /** Enough of the normalised text to recognise the error in a list; the hash covers all of it. */
    static final int MAX_TEXT = 200;

    private static final String LOCATION = "(?::\\d+(?::\\d+)?|\\(\\d+(?:,\\s*\\d+)?\\)|:\\[\\d+(?:,\\d+)?\\])?";
    private static final String SOURCE_EXTENSIONS = "java|kts?|scala|groovy|py|m?js|cjs|jsx|tsx?|go|rs|c|h|cc|cpp|hpp|cs|rb|php"
            + "|swift|json|ya?ml|toml|xml|txt|md|sh|gradle|lock|sql|html|css";

    /** In order: what a later rule would take apart (a path's digits, a time's colons) goes first. */
    private static final List<Rule> RULES = List.of(
            new Rule("\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s\"'<>]+", "<url>"),
            new Rule("\"[^\"]*\"(?!\\s*:)|(?<!\\w)'[^'\\n]*'(?!\\w)|`[^`]*`|‘[^’]*’|“[^”]*”", "<str>"),
            new Rule("\\b\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?\\b", "<ts>"),
            new Rule("\\b\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?\\b", "<ts>"),
            new Rule("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b", "<uuid>"),
            // absolute (/x, ~/x, ./x, C:\x), relative with an extension (src/a.rs) or two slashes, bare source file
            new Rule("(?:(?<![\\w.])(?:[A-Za-z]:|~|\\.{1,2})?(?:[/\\\\][\\w.@+-]+)+[/\\\\]?"
                    + "|(?<![\\w.-])(?:[\\w@+-][\\w.@+-]*[/\\\\])+[\\w@+-][\\w@+-]*\\.\\w+"
                    + "|(?<![\\w.-])(?:[\\w.@+-]+[/\\\\]){2,}[\\w.@+-]+"
                    + "|\\b[\\w-]+\\.(?:" + SOURCE_EXTENSIONS + ")\\b)" + LOCATION, "<path>"),
            new Rule("\\b0x[0-9a-fA-F]+\\b|\\b(?=[0-9a-f]*\\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\\b"
                    + "|\\b(?=[0-9A-F]*\\d)(?=[0-9A-F]*[A-F])[0-9A-F]{8,}\\b", "<hex>"),
            new Rule("\\b[A-Za-z]+_(?=\\w*\\d)[A-Za-z0-9]{8,}\\b|\\b(?=[A-Za-z]*\\d)(?=\\d*[A-Za-z])[A-Za-z0-9]{12,}\\b", "<id>"),
            // a status code names the failure (HTTP 429 is not HTTP 500), so it stays
            new Rule("(?<![\\w.])(?<!(?i:http|status|code|error)[:/ ]{1,2})\\d+(?:\\.\\d+)*", "<n>"),
            new Rule("\\s+", " "));

    private Fingerprint() {
    }

    /**
     * The message with numbers, hex ids, UUIDs, paths, quoted strings, timestamps and line:col
     * normalised and whitespace collapsed, so the same error on another file, line or attempt gets the
     * same fingerprint: a short stable hash of the normalised text, a space, and the (shortened) text,
     * e.g. {@code "a1b2c3d4 <path>: error: cannot find symbol"}.
     */
    public static String of(String message) {
        String text = normalise(message);
        String shown = text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
        return hash(text) + " " + shown;
    }

    static String normalise(String message) {
        String text = message;
        for (Rule rule : RULES) {
            text = rule.pattern.matcher(text).replaceAll(rule.replacement);
        }
        return text.strip();
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private record Rule(Pattern pattern, String replacement) {
        Rule(String regex, String replacement) {
            this(Pattern.compile(regex), replacement);
        }
    }
}
