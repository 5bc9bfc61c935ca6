package dev.controlroom.domain;

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
    private static final List<String> SECRET_WORDS = List.of("key", "token", "secret", "pass");
    private static final List<String> SECRET_NAME_WORDS = List.of("key", "token", "secret", "password", "passwd", "passphrase");
    /** Whole name parts that name a secret on their own ({@code DB_PASS}), though other words end with them ({@code bypass}). */
    private static final List<String> SECRET_NAME_PARTS = List.of("pass");
    private static final Pattern NAME_PARTS = Pattern.compile("[_.\\-]+|(?<=[a-z0-9])(?=[A-Z])");

    /** Key formats with a fixed prefix; group 1 is the prefix that stays. Only tried where a token starts. */
    private static final Pattern KEYS = Pattern.compile("(?<![A-Za-z0-9_-])(?:"
            + "(sk-ant-)[A-Za-z0-9_-]{16,}"
            + "|(sk-(?:proj-|svcacct-|admin-)?)(?=[A-Za-z0-9_-]*\\d)[A-Za-z0-9_-]{20,}"
            + "|((?:sk|rk|pk)_(?:live|test)_)[A-Za-z0-9]{16,}"
            + "|(AIza)[0-9A-Za-z_-]{30,}"
            + "|(gh[pousr]_)[A-Za-z0-9]{30,}"
            + "|(github_pat_)[A-Za-z0-9_]{30,}"
            + "|(glpat-)[A-Za-z0-9_-]{20,}"
            + "|(hf_)[A-Za-z0-9]{30,}"
            + "|(npm_)[A-Za-z0-9]{36,}"
            + "|(crt_)[0-9a-f]{32,}"
            + "|(AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])"
            + "|(xox[abposre]-)[A-Za-z0-9-]{10,}"
            + "|(eyJ)[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"
            + ")");
    /** A bare AWS secret access key: 40 characters of base64 with upper and lower case letters and a digit (not a hex hash). */
    private static final Pattern AWS_SECRET = Pattern.compile("(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])"
            + "(?=[A-Za-z0-9/+]{0,39}[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");
    /** A private key block (PEM, OpenSSH, PGP): everything after its first line is secret, to its last line. */
    private static final Pattern PRIVATE_KEY_BEGIN = Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----");
    private static final Pattern PRIVATE_KEY_END = Pattern.compile("-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----");
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
     * Replaces secrets in a line: Anthropic, OpenAI, Stripe, Google, GitHub, GitLab, Hugging Face,
     * npm, AWS and Slack style API keys, JWTs, private key blocks, bearer and basic tokens, passwords
     * in URLs, and the values of assignments, JSON fields and {@code --flags} whose name says KEY,
     * TOKEN, SECRET, PASS(WORD), PASSPHRASE or PWD. A key keeps a recognisable prefix
     * ({@code sk-ant-…[redacted]}); an assigned value becomes {@code [redacted]}.
     *
     * <p>Secrets are looked for in a view of the line in which terminal escape sequences and JSON
     * string escapes ({@code \n}, {@code \t}, {@code \u001b[32m}) read as spaces, so a key right
     * after a colour code or an escaped newline inside an agent's JSON is found; what is replaced is
     * the same span of the line itself.
     */
    public static String redact(String line) {
        return redact(line, false).text();
    }

    /**
     * Redaction of a stream that arrives in pieces (a terminal's reads): text is released line by
     * line, so a secret split across two pieces is whole when it is looked at, and a private key
     * block stays secret across its lines. An open last line is held until it ends, grows past a
     * limit (then it is released up to its last space), or the caller flushes it (the output paused
     * or ended). One stream per kind of output of a session; not thread-safe.
     */
    public static final class Stream {
        /** An open line longer than this is released up to its last space: a line without end must not hold a view back. */
        static final int HOLD_LIMIT = 16 * 1024;
        private final StringBuilder held = new StringBuilder();
        private boolean insidePrivateKey;

        /** Takes the next piece; returns what can be released now, redacted. */
        public String feed(String piece) {
            held.append(piece);
            int cut = Math.max(held.lastIndexOf("\n"), held.lastIndexOf("\r")) + 1;
            if (cut == 0 && held.length() > HOLD_LIMIT) {
                int space = Math.max(held.lastIndexOf(" "), held.lastIndexOf("\t"));
                cut = space > 0 ? space + 1 : held.length();
            }
            return release(cut);
        }

        /** Whether an open last line is held back. */
        public boolean holding() {
            return !held.isEmpty();
        }

        /** Releases the open last line, redacted. */
        public String flush() {
            return release(held.length());
        }

        /**
         * Releases the open last line up to its last space, redacted, keeping its last word back: the
         * output paused, and a prompt should show, but that word may be the start of a key whose end
         * is still to come.
         */
        public String flushWords() {
            return release(Math.max(held.lastIndexOf(" "), held.lastIndexOf("\t")) + 1);
        }

        private String release(int cut) {
            if (cut == 0) {
                return "";
            }
            String text = held.substring(0, cut);
            held.delete(0, cut);
            StringBuilder out = null;
            int from = 0;
            while (from < text.length()) {
                int nl = text.indexOf('\n', from);
                int to = nl < 0 ? text.length() : nl + 1;
                String line = text.substring(from, to);
                Redacted r = redact(line, insidePrivateKey);
                insidePrivateKey = r.insidePrivateKey();
                if (out == null && r.text() != line) {
                    out = new StringBuilder(text.length()).append(text, 0, from);
                }
                if (out != null) {
                    out.append(r.text());
                }
                from = to;
            }
            return out == null ? text : out.toString();
        }
    }

    /** A text of any number of lines redacted as a whole (a prompt, a command, a check's output). */
    public static String redactText(String text) {
        Stream secrets = new Stream();
        return secrets.feed(text) + secrets.flush();
    }

    /** A line redacted, and whether it leaves a private key block open (its next lines are secret too). */
    record Redacted(String text, boolean insidePrivateKey) {
    }

    static Redacted redact(String line, boolean insidePrivateKey) {
        if (line.length() < 8 && !insidePrivateKey) {
            return new Redacted(line, false);
        }
        Spans spans = new Spans();
        boolean open = find(line, insidePrivateKey, spans);
        return new Redacted(spans.applyTo(line), open);
    }

    /** Where a secret stands in a text: {@code text.substring(start, end)} is secret (a key's kind prefix stays outside). */
    public record Span(int start, int end) {
    }

    /** The secrets of a text of any number of lines (a command, a prompt, a plan file), in order. */
    public static List<Span> find(String text) {
        List<Span> found = new java.util.ArrayList<>();
        boolean inside = false;
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            int to = nl < 0 ? text.length() : nl + 1;
            String line = text.substring(from, to);
            Spans spans = new Spans();
            inside = find(line, inside, spans);
            int offset = from;
            spans.each((start, end) -> found.add(new Span(offset + start, offset + end)));
            from = to;
        }
        return found;
    }

    /** Adds the secrets of one line to {@code spans}; returns whether a private key block is open at its end. */
    private static boolean find(String line, boolean insidePrivateKey, Spans spans) {
        String view = view(line);
        String lower = view.toLowerCase(Locale.ROOT);
        boolean open = privateKeys(view, insidePrivateKey, spans);
        if (mayHoldKey(view, lower)) {
            collect(KEYS.matcher(view), spans, Redactor::afterPrefix, KEY_MARK);
        }
        if (mayHoldAwsSecret(view)) {
            collect(AWS_SECRET.matcher(view), spans, m -> java.util.Optional.of(new int[] {m.start(), m.end()}), MARK);
        }
        if (lower.contains("bearer")) {
            collect(BEARER.matcher(view), spans, m -> java.util.Optional.of(new int[] {m.end(1), m.end()}), KEY_MARK);
        }
        if (lower.contains("authorization")) {
            collect(BASIC_AUTH.matcher(view), spans, m -> java.util.Optional.of(new int[] {m.end(1), m.end()}), KEY_MARK);
        }
        if (lower.contains("://") && view.indexOf('@') >= 0) {
            collect(URL_PASSWORD.matcher(view), spans, m -> isHarmless(m.group(2)) ? java.util.Optional.empty()
                    : java.util.Optional.of(new int[] {m.start(2), m.end(2)}), MARK);
        }
        if (hasSecretWord(lower)) {
            if (assignsSecretName(lower)) {
                assignments(view, spans);
            }
            if (lower.contains("--")) {
                collect(FLAG.matcher(view), spans, m -> isSecretName(m.group(1)) && !isHarmless(m.group(3))
                        ? java.util.Optional.of(new int[] {m.start(3), m.end(3)}) : java.util.Optional.empty(), MARK);
            }
        }
        return open;
    }

    /** The line with escape sequences (terminal and JSON) turned into spaces, position for position. */
    static String view(String line) {
        char[] v = null;
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            int end = -1;
            if (c == 0x1b) {
                end = escapeEnd(line, i + 1);
            } else if (c == '\\' && i + 1 < n) {
                char e = line.charAt(i + 1);
                if (e == 'u' && i + 5 < n && isHex(line, i + 2, 4)) {
                    end = line.regionMatches(true, i + 2, "001b", 0, 4) ? escapeEnd(line, i + 6) : i + 6;
                } else if (e == 'n' || e == 'r' || e == 't' || e == 'b' || e == 'f' || e == 'e') {
                    end = e == 'e' ? escapeEnd(line, i + 2) : i + 2;
                } else {
                    i++; // an escaped quote or backslash stays as it is
                    continue;
                }
            } else if (c < 0x20 || c == 0x7f) {
                end = i + 1;
            }
            if (end > i) {
                if (v == null) {
                    v = line.toCharArray();
                }
                java.util.Arrays.fill(v, i, Math.min(end, n), ' ');
                i = Math.min(end, n) - 1;
            }
        }
        return v == null ? line : new String(v);
    }

    /** Where a terminal escape sequence that starts right after its ESC ends: CSI and OSC sequences, or one more character. */
    private static int escapeEnd(String s, int from) {
        if (from >= s.length()) {
            return from;
        }
        char k = s.charAt(from);
        if (k == '[') {
            int i = from + 1;
            while (i < s.length() && i < from + 32 && s.charAt(i) >= 0x20 && s.charAt(i) <= 0x3f) {
                i++;
            }
            return i < s.length() && s.charAt(i) >= 0x40 && s.charAt(i) <= 0x7e ? i + 1 : i;
        }
        if (k == ']') {
            int bel = s.indexOf(0x07, from);
            int st = s.indexOf("\u001b\\", from);
            int end = bel < 0 ? st : st < 0 ? bel : Math.min(bel, st);
            return end < 0 ? s.length() : end + (end == bel ? 1 : 2);
        }
        return from + 1;
    }

    private static boolean isHex(String s, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The spans of a line to replace, each with its mark; a span overlapping one found before is left (that secret is covered). */
    private static final class Spans {
        private final java.util.TreeMap<Integer, int[]> byStart = new java.util.TreeMap<>();
        private final java.util.Map<Integer, String> marks = new java.util.HashMap<>();

        void add(int start, int end, String mark) {
            if (end <= start) {
                return;
            }
            var before = byStart.floorEntry(start);
            if (before != null && before.getValue()[1] > start) {
                return;
            }
            var after = byStart.ceilingEntry(start);
            if (after != null && after.getKey() < end) {
                return;
            }
            byStart.put(start, new int[] {start, end});
            marks.put(start, mark);
        }

        void each(java.util.function.BiConsumer<Integer, Integer> span) {
            byStart.values().forEach(v -> span.accept(v[0], v[1]));
        }

        String applyTo(String line) {
            if (byStart.isEmpty()) {
                return line;
            }
            StringBuilder out = new StringBuilder(line.length());
            int at = 0;
            for (int[] span : byStart.values()) {
                out.append(line, at, span[0]).append(marks.get(span[0]));
                at = span[1];
            }
            return out.append(line, at, line.length()).toString();
        }
    }

    private static void collect(Matcher m, Spans spans, java.util.function.Function<MatchResult, java.util.Optional<int[]>> secret, String mark) {
        while (m.find()) {
            secret.apply(m.toMatchResult()).ifPresent(span -> spans.add(span[0], span[1], mark));
        }
    }

    /** Assignments, looking inside the value of one that is not secret: {@code "content":"TOKEN=abc\\nX=1"} holds one. */
    private static void assignments(String view, Spans spans) {
        Matcher m = ASSIGNMENT.matcher(view);
        int from = 0;
        while (from < view.length() && m.find(from)) {
            java.util.Optional<int[]> secret = assignedValue(m);
            secret.ifPresent(span -> spans.add(span[0], span[1], MARK));
            from = secret.isPresent() ? m.end() : m.end(2);
        }
    }

    /** Inside a private key block every character but the markers is secret; returns whether the block is still open at the line's end. */
    private static boolean privateKeys(String view, boolean inside, Spans spans) {
        int at = 0;
        boolean open = inside;
        while (true) {
            if (open) {
                Matcher end = PRIVATE_KEY_END.matcher(view);
                boolean found = end.find(at);
                int stop = found ? end.start() : view.length();
                int from = at;
                while (from < stop && view.charAt(from) == ' ') {
                    from++;
                }
                while (stop > from && view.charAt(stop - 1) == ' ') {
                    stop--; // the line's end (and escapes read as spaces) stay
                }
                spans.add(from, stop, MARK);
                if (!found) {
                    return true;
                }
                at = end.end();
                open = false;
            } else {
                if (view.indexOf("-----BEGIN", at) < 0) {
                    return false;
                }
                Matcher begin = PRIVATE_KEY_BEGIN.matcher(view);
                if (!begin.find(at)) {
                    return false;
                }
                at = begin.end();
                open = true;
            }
        }
    }

    private static boolean mayHoldAwsSecret(String view) {
        int run = 0;
        for (int i = 0; i < view.length(); i++) {
            char c = view.charAt(i);
            run = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '/' || c == '+' ? run + 1 : 0;
            if (run == 40) {
                return true;
            }
        }
        return false;
    }

    private static java.util.Optional<int[]> afterPrefix(MatchResult m) {
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.group(g) != null) {
                return java.util.Optional.of(new int[] {m.end(g), m.end()});
            }
        }
        return java.util.Optional.of(new int[] {m.start(), m.end()});
    }

    private static boolean mayHoldKey(String line, String lower) {
        if (lower.contains("sk-") || lower.contains("aiza") || lower.contains("akia") || lower.contains("asia")
                || lower.contains("xox") || lower.contains("github_pat_") || lower.contains("_live_") || lower.contains("_test_")
                || lower.contains("glpat-") || lower.contains("hf_") || lower.contains("npm_") || lower.contains("crt_") || line.contains("eyJ")) {
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
            if (SECRET_NAME_PARTS.contains(lower)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHarmless(String value) {
        return value.isEmpty() || HARMLESS_VALUE.matcher(value).matches();
    }

    /** Groups: 1 name, 2 separator, then (open quote, value) for "double", 'single' and bare values: the value's span when it is secret. */
    private static java.util.Optional<int[]> assignedValue(MatchResult m) {
        int quote = m.group(3) != null ? 3 : m.group(5) != null ? 5 : 7;
        String value = m.group(quote + 1);
        if (!isSecretName(m.group(1)) || isHarmless(value)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new int[] {m.start(quote + 1), m.end(quote + 1)});
    }
}
