package dev.controlroom.agent.extract;

import java.util.List;
import java.util.Locale;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes secrets out of output lines before they are stored or shown. Runs on every line, so a line
 * that mentions nothing secret-like is returned as it is after a few substring checks.
 */
public final class Redactor {
    /** What a secret is replaced with; a key keeps its kind's prefix in front ({@code sk-ant-…[redacted]}). */
    public static final String MARK = "[redacted]";
    private static final String KEY_MARK = "…" + MARK;
    /** A line without one of these (any case) assigns no secret. */
    private static final List<String> SECRET_WORDS = List.of("key", "token", "secret", "passw");
    private static final List<String> SECRET_NAME_WORDS = List.of("key", "token", "secret", "password", "passwd");
    private static final Pattern NAME_PARTS = Pattern.compile("[_.\\-]+|(?<=[a-z0-9])(?=[A-Z])");

    /** Key formats with a fixed prefix; group 1 is the prefix that stays. Only tried where a token starts. */
    private static final Pattern KEYS = Pattern.compile("(?<![A-Za-z0-9_-])(?:"
            + "(sk-ant-)[A-Za-z0-9_-]{16,}"
            + "|(sk-(?:proj-|svcacct-|admin-)?)(?=[A-Za-z0-9_-]*\\d)[A-Za-z0-9_-]{20,}"
            + "|(AIza)[0-9A-Za-z_-]{30,}"
            + "|(gh[pousr]_)[A-Za-z0-9]{30,}"
            + "|(github_pat_)[A-Za-z0-9_]{30,}"
            + "|(AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])"
            + "|(xox[abposr]-)[A-Za-z0-9-]{10,})");
    private static final Pattern BEARER = Pattern.compile("(?i)(\\bbearer\\s+)(?=[A-Za-z0-9._~+/=-]*\\d)[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern BASIC_AUTH = Pattern.compile(
            "(?i)(\\bauthorization[\"']?\\s*[:=]\\s*[\"']?(?:basic|token)\\s+)[A-Za-z0-9._~+/=-]{6,}");
    /** name=value, name: value (a space after the colon, unlike pkg:amd64), "name":"value"; the name is checked in code. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?<![A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_.-]{0,100})(\\\\?[\"']\\s*[:=]\\s*|\\s*=\\s*|\\s*:\\s+)"
                    + "(?:(\\\\?\")([^\"\\\\\\n]*)\\\\?\"|(')([^'\\n]*)'|()(\\$\\{[^}\\s]{1,100}}|[^\\s\"'\\\\,;&{}()\\[\\]<>]+"
                    + "(?:" + Pattern.quote(MARK) + ")?))");
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])(--[A-Za-z][\\w-]{0,60})(\\s+)([^\\s\"'-][^\\s\"']*)");
    private static final Pattern URL_PASSWORD = Pattern.compile("\\b([a-zA-Z][a-zA-Z0-9+.-]*://[^\\s:/@]+:)([^\\s@/]+)@");
    /** Values that only refer to a secret or are obviously not one: numbers, flags, placeholders, variable names. */
    private static final Pattern HARMLESS_VALUE = Pattern.compile(
            "(?i)-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?|true|false|null|none|nil|undefined|\\**|x{3,}|\\$\\{?\\w+}?|<[^>]*>"
                    + "|(?-i:[A-Z]+(?:_[A-Z0-9]+)+)|.*"
                    + Pattern.quote(MARK) + ".*");

    private Redactor() {
    }

    /**
     * Replaces secrets in a line: Anthropic, OpenAI, Google, GitHub, AWS and Slack style API keys,
     * bearer and basic tokens, passwords in URLs, and the values of assignments, JSON fields and
     * {@code --flags} whose name contains KEY, TOKEN, SECRET or PASSWORD. A key keeps a recognisable
     * prefix ({@code sk-ant-…[redacted]}); an assigned value becomes {@code [redacted]}.
     */
    public static String redact(String line) {
        if (line.length() < 8) {
            return line;
        }
        String lower = line.toLowerCase(Locale.ROOT);
        String out = line;
        if (mayHoldKey(line, lower)) {
            out = KEYS.matcher(out).replaceAll(Redactor::keepPrefix);
        }
        if (lower.contains("bearer")) {
            out = BEARER.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(KEY_MARK));
        }
        if (lower.contains("authorization")) {
            out = BASIC_AUTH.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(KEY_MARK));
        }
        if (lower.contains("://") && out.indexOf('@') >= 0) {
            out = URL_PASSWORD.matcher(out).replaceAll(m -> isHarmless(m.group(2)) ? Matcher.quoteReplacement(m.group())
                    : Matcher.quoteReplacement(m.group(1) + MARK + "@"));
        }
        if (hasSecretWord(lower)) {
            if (assignsSecretName(lower)) {
                out = ASSIGNMENT.matcher(out).replaceAll(Redactor::assignment);
            }
            if (lower.contains("--")) {
                out = FLAG.matcher(out).replaceAll(m -> isSecretName(m.group(1)) && !isHarmless(m.group(3))
                        ? Matcher.quoteReplacement(m.group(1) + m.group(2) + MARK) : Matcher.quoteReplacement(m.group()));
            }
        }
        return out;
    }

    private static boolean mayHoldKey(String line, String lower) {
        if (lower.contains("sk-") || lower.contains("aiza") || lower.contains("akia") || lower.contains("asia")
                || lower.contains("xox") || lower.contains("github_pat_")) {
            return true;
        }
        for (int i = line.indexOf('_', 3); i >= 0; i = line.indexOf('_', i + 1)) {
            if (line.charAt(i - 3) == 'g' && line.charAt(i - 2) == 'h') {
                return true;
            }
        }
        return false;
    }

    private static boolean hasSecretWord(String lower) {
        for (String word : SECRET_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a secret word is part of a name that a value is assigned to ({@code api_key=},
     * {@code "accessToken":}): words in prose ("token bucket") leave the assignment pattern untried.
     */
    private static boolean assignsSecretName(String lower) {
        for (String word : SECRET_WORDS) {
            for (int i = lower.indexOf(word); i >= 0; i = lower.indexOf(word, i + 1)) {
                int j = i + word.length();
                while (j < lower.length() && isNameChar(lower.charAt(j))) {
                    j++;
                }
                if (j < lower.length() && lower.charAt(j) == '\\') {
                    j++;
                }
                boolean quoted = j < lower.length() && (lower.charAt(j) == '"' || lower.charAt(j) == '\'');
                if (quoted) {
                    j++;
                }
                while (j < lower.length() && (lower.charAt(j) == ' ' || lower.charAt(j) == '\t')) {
                    j++;
                }
                if (j < lower.length() && (lower.charAt(j) == '='
                        || lower.charAt(j) == ':' && (quoted || j + 1 < lower.length() && Character.isWhitespace(lower.charAt(j + 1))))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-';
    }

    /**
     * A name made of parts (split at _ - . and lower-to-upper case changes) one of which ends with a
     * secret word: API_KEY, apiKey, APIKEY, client_secret, GITHUB_TOKEN, db.password; not keywords,
     * keyutils or tokenizer.
     */
    static boolean isSecretName(String name) {
        for (String part : NAME_PARTS.split(name)) {
            String lower = part.toLowerCase(Locale.ROOT);
            for (String word : SECRET_NAME_WORDS) {
                if (lower.endsWith(word) || lower.equals(word + "s")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isHarmless(String value) {
        return value.isEmpty() || HARMLESS_VALUE.matcher(value).matches();
    }

    private static String keepPrefix(MatchResult m) {
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.group(g) != null) {
                return Matcher.quoteReplacement(m.group(g) + KEY_MARK);
            }
        }
        return Matcher.quoteReplacement(KEY_MARK);
    }

    /** Groups: 1 name, 2 separator, then (open quote, value) for "double", 'single' and bare values. */
    private static String assignment(MatchResult m) {
        int quote = m.group(3) != null ? 3 : m.group(5) != null ? 5 : 7;
        String value = m.group(quote + 1);
        if (!isSecretName(m.group(1)) || isHarmless(value)) {
            return Matcher.quoteReplacement(m.group());
        }
        String open = m.group(quote);
        String close = m.group().substring(m.end(quote + 1) - m.start());
        return Matcher.quoteReplacement(m.group(1) + m.group(2) + open + MARK + close);
    }
}
