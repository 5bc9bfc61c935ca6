package dev.controlroom.agent.extract;

import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The single-line rules for plain output: errors, test summaries and prompts. Versioned because CLIs
 * change what they print: events extracted with an older version can be told apart. Every rule sits
 * behind a substring test on the lower-cased line, so a line that matches nothing costs a few
 * {@code contains} calls and no regex.
 */
public final class PlainPatterns {
    /** Bump when a rule changes what it extracts. */
    public static final String VERSION = "2026.11";

    // --- errors ---------------------------------------------------------------------------------

    /** A Java/Kotlin/JS/Python exception line: a dotted class name (message optional) or a bare one with a message. */
    private static final Pattern EXCEPTION_HEADER = Pattern.compile(
            "^(?:Exception in thread \"[^\"]*\" |Uncaught )?(?:"
                    + "(?:[a-zA-Z_$][\\w$]*\\.)+(?:[A-Z][\\w$]*)?(?:Exception|Error|Throwable)(?::.*)?"
                    + "|(?:[A-Z][\\w$]*)?(?:Exception|Error|Throwable)(?: \\[\\w+])?:.*)$");
    private static final Pattern STACK_FRAME = Pattern.compile(
            "(?:\\s+at\\s|\\s*Caused by: |\\s*Suppressed: |\\s+\\.\\.\\. \\d+ (?:more|common frames omitted))");
    private static final String TRACEBACK = "Traceback (most recent call last):";

    /**
     * Each rule is anchored at the line start (tried with lookingAt, not at every position) and only
     * tried when the line holds the words it needs: a log line that says "error_count=0" costs a few
     * {@code contains}, not nine regexes.
     */
    private static final List<LineRule> ERROR_LINES = List.of(
            // gcc, clang, javac, swiftc: file:line[:col]: [fatal] error: message
            new LineRule((line, lower) -> lower.contains("error:") || lower.contains("error["),
                    "(?:[A-Za-z]:)?[^\\s:()][^:()]*+:\\d+(?::\\d+)?:\\s*(?:fatal error|error)(?:\\[[\\w-]+])?:\\s*\\S"),
            // tsc, msbuild: file(line,col): error TS2304: message; tsc --pretty: file:line:col - error TS2304: message
            new LineRule((line, lower) -> lower.contains("): error "), "\\S[^()]*+\\(\\d+,\\d+\\):\\s*error\\s+[A-Z]+\\d+:\\s*\\S"),
            new LineRule((line, lower) -> lower.contains(" - error "), "\\S+?:\\d+:\\d+\\s+-\\s+error\\s+[A-Z]+\\d+:\\s*\\S"),
            // go build / vet: file.go:line:col: message (no "error" word)
            new LineRule((line, lower) -> lower.contains(".go:"), "(?:[\\w.@+-]*+/)*+[\\w.@+-]+\\.go:\\d+(?::\\d+)?:\\s+\\S"),
            new LineRule((line, lower) -> line.startsWith("e: "), "e:\\s+(?:file://)?\\S+\\.kts?(?::\\d+:\\d+|: \\(\\d+, \\d+\\)):?\\s+\\S"),
            // rustc (error[E0425]: ...), git (fatal: ...), node (Error: ...): a line that starts with the word
            new LineRule((line, lower) -> startsWithWord(lower, "error") || startsWithWord(lower, "fatal"),
                    "\\s*(?:error|fatal|Error|Fatal|ERROR|FATAL)(?:\\[[\\w-]+])?:\\s*(?!(?:null|none|nil|false|0|\"\"|\\{}|\\[])?\\s*$)\\S"),
            // a log line whose level is ERROR/FATAL/...: only timestamps and [bracketed] fields before it
            new LineRule((line, lower) -> line.contains("ERROR") || line.contains("FATAL") || line.contains("SEVERE")
                    || line.contains("CRITICAL") || line.contains("PANIC"),
                    "(?:[\\d\\-:.,TZ+/ ]++|\\[(?!(?:ERROR|FATAL|SEVERE|CRITICAL)])[^\\]]*+]\\s*+)*+"
                            + "[\\[<(]?(?:ERROR|FATAL|SEVERE|CRITICAL|PANIC)[\\]>)]?(?=[:\\s|]|$)"),
            new LineRule((line, lower) -> line.startsWith("panic: ") || line.startsWith("thread '"),
                    "panic: \\S|thread '[^']*+'(?: \\(\\d+\\))? panicked at "));
    /** Maven prefixes its advice around a failure with [ERROR] too: only what says what failed counts. */
    private static final Pattern MAVEN_ERROR = Pattern.compile("\\[ERROR] (?!\\s|->|To see the full|Re-run Maven|For more information"
            + "|\\[Help|After correcting|See |Failures:\\s*$|Errors:\\s*$)\\S");
    /** logfmt and JSON logs: level=error, "severity":"ERROR". */
    private static final Pattern LEVEL_FIELD = Pattern.compile(
            "(?i)\\b(?:level|severity|lvl)\"?\\s*[=:]\\s*\"?(?:error|fatal|crit(?:ical)?|panic|alert|emerg)\\b");

    // --- test summaries -------------------------------------------------------------------------

    private static final Pattern SUREFIRE = Pattern.compile("Tests run: (\\d+), Failures: (\\d+), Errors: (\\d+), Skipped: (\\d+)(.*)");
    private static final Pattern GRADLE = Pattern.compile("(\\d+) tests? completed(?:, (\\d+) failed)?(?:, (\\d+) skipped)?");
    private static final Pattern PYTEST = Pattern.compile("=*\\s*((?:\\d+ (?:failed|passed|skipped|errors?|xfailed|xpassed|deselected"
            + "|warnings?|rerun)(?:, )?)+|no tests ran)\\s+in\\s+[\\d.]+s\\b");
    private static final Pattern JEST = Pattern.compile("Tests:\\s+(.*?)\\d+ total");
    private static final Pattern VITEST = Pattern.compile("\\s*Tests\\s+(\\d+ \\w+(?:\\s*\\|\\s*\\d+ \\w+)*)\\s*\\(\\d+\\)");
    private static final Pattern CARGO = Pattern.compile("test result: (?:ok|FAILED)\\. (\\d+) passed; (\\d+) failed; (\\d+) ignored");
    private static final Pattern COUNT = Pattern.compile("(\\d+) (\\w+)");
    /** Anchored at the line start: tried with lookingAt. */
    static final Pattern GO_TEST = Pattern.compile("--- (PASS|FAIL|SKIP): ");
    static final Pattern GO_PACKAGE = Pattern.compile("(ok|FAIL)\\s+\\S+\\s+(?:\\(cached\\)|[\\d.]+s|\\[(?:build|setup) failed])");
    static final Pattern NODE_SUMMARY = Pattern.compile("^[#ℹ] (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) \\d+(?:\\.\\d+)?$");

    // --- waiting for the human ------------------------------------------------------------------

    private static final Pattern YES_NO = Pattern.compile("(?i)[(\\[](?:y/n|yes/no)[)\\]]|\\(y\\)es/\\(n\\)o");
    private static final Pattern ASK = Pattern.compile(
            "(?i)^(?:(do you want to|allow|approve|are you sure|continue|proceed|overwrite|confirm|ok to)|would you like|shall i|should i)"
                    + "\\b.*\\?$");
    private static final Pattern PRESS = Pattern.compile("(?i)\\bpress (?:enter|return|any key)\\b"
            + "|\\benter to (?:select|confirm|submit|continue)\\b|\\besc to (?:cancel|go back|exit)\\b");
    private static final Pattern PERMISSION = Pattern.compile("(?i)\\b(?:requires?|needs?|requested|requesting|grant|asking for"
            + "|waiting for) (?:your )?(?:approval|permission)s?\\b|\\b(?:permission|approval) (?:required|needed|requested)\\b");
    /** Frame and bullet characters a TUI draws around a question. */
    private static final String DECORATION = " \t│┃║|>❯›●•*";

    private PlainPatterns() {
    }

    static boolean mayBeError(String line, String lower) {
        return lower.contains("error") || lower.contains("fatal") || lower.contains("exception") || lower.contains("panic")
                || lower.contains("severe") || lower.contains("critical") || lower.contains("throwable")
                || lower.contains(".go:") || line.startsWith("e: ") || lower.contains("npm err");
    }

    static boolean isExceptionHeader(String line) {
        return (line.contains("Exception") || line.contains("Error") || line.contains("Throwable"))
                && EXCEPTION_HEADER.matcher(line).matches();
    }

    /** A line that continues a stack trace: a frame, a cause, an elision. */
    static boolean isStackFrame(String line) {
        return STACK_FRAME.matcher(line).lookingAt();
    }

    static boolean isTracebackStart(String line) {
        return line.strip().startsWith(TRACEBACK);
    }

    /** A line of npm's error block, which may be just the prefix. */
    static boolean isNpmError(String line) {
        return line.startsWith("npm error") || line.startsWith("npm ERR!");
    }

    static boolean isErrorLine(String line, String lower) {
        if (line.startsWith("[ERROR]")) {
            return MAVEN_ERROR.matcher(line).lookingAt();
        }
        for (LineRule rule : ERROR_LINES) {
            if (rule.mayMatch().test(line, lower) && rule.pattern().matcher(line).lookingAt()) {
                return true;
            }
        }
        return (lower.contains("level") || lower.contains("severity") || lower.contains("lvl")) && LEVEL_FIELD.matcher(line).find();
    }

    static boolean mayBeTestSummary(String line, String lower) {
        return lower.contains("test") || lower.contains("passed") || lower.contains("failed") || line.startsWith("ok")
                || line.startsWith("FAIL") || line.startsWith("--- ") || line.startsWith("# ") || line.startsWith("ℹ ");
    }

    /** A whole-run summary line of a test framework that prints one (go test and node --test count over lines). */
    static Optional<AgentEvent.TestResult> testSummary(String line) {
        Matcher m = SUREFIRE.matcher(line);
        if (m.find()) {
            if (m.group(5).contains("Time elapsed")) {
                return Optional.empty(); // one test class, not the run
            }
            int run = Integer.parseInt(m.group(1));
            int failed = Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(3));
            int skipped = Integer.parseInt(m.group(4));
            return Optional.of(new AgentEvent.TestResult("junit", Math.max(0, run - failed - skipped), failed, skipped));
        }
        m = GRADLE.matcher(line);
        if (m.lookingAt()) {
            int failed = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            int skipped = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
            return Optional.of(new AgentEvent.TestResult("gradle", Math.max(0, Integer.parseInt(m.group(1)) - failed - skipped),
                    failed, skipped));
        }
        m = CARGO.matcher(line);
        if (m.find()) {
            return Optional.of(new AgentEvent.TestResult("cargo", Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3))));
        }
        m = PYTEST.matcher(line);
        if (m.lookingAt()) {
            return Optional.of(counted("pytest", m.group(1)));
        }
        m = JEST.matcher(line);
        if (m.lookingAt()) {
            return Optional.of(counted("jest", m.group(1)));
        }
        m = VITEST.matcher(line);
        if (m.lookingAt()) {
            return Optional.of(counted("vitest", m.group(1)));
        }
        return Optional.empty();
    }

    /** "3 failed, 10 passed, 1 skipped": errors count as failed, xpassed as passed, xfailed and todo as skipped. */
    static AgentEvent.TestResult counted(String framework, String counts) {
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        Matcher m = COUNT.matcher(counts);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            switch (m.group(2)) {
                case "passed", "pass", "xpassed" -> passed += n;
                case "failed", "fail", "error", "errors", "cancelled" -> failed += n;
                case "skipped", "skip", "xfailed", "todo", "pending" -> skipped += n;
                default -> { } // deselected, warnings, total, rerun
            }
        }
        return new AgentEvent.TestResult(framework, passed, failed, skipped);
    }

    /** A question ends the line; the other prompts have their own words. */
    static boolean mayNeedInput(String line, String lower) {
        return endsWithQuestionMark(line) || lower.contains("(y") || lower.contains("[y") || lower.contains("press ")
                || lower.contains("enter to") || lower.contains("esc to") || lower.contains("permission") || lower.contains("approv");
    }

    private static boolean endsWithQuestionMark(String line) {
        for (int i = line.length() - 1; i >= 0; i--) {
            char c = line.charAt(i);
            if (DECORATION.indexOf(c) < 0) {
                return c == '?' || c == '？';
            }
        }
        return false;
    }

    /** A prompt for the human: a yes/no or permission question (permission), or a press-a-key / pick-an-option one. */
    static Optional<AgentEvent.NeedsInput> needsInput(String line) {
        String text = undecorated(line);
        if (YES_NO.matcher(text).find() || PERMISSION.matcher(text).find()) {
            return Optional.of(new AgentEvent.NeedsInput(text, true));
        }
        Matcher ask = ASK.matcher(text);
        if (ask.find()) {
            return Optional.of(new AgentEvent.NeedsInput(text, ask.group(1) != null));
        }
        if (PRESS.matcher(text).find()) {
            return Optional.of(new AgentEvent.NeedsInput(text, false));
        }
        return Optional.empty();
    }

    private static boolean startsWithWord(String lower, String word) {
        int i = 0;
        while (i < lower.length() && Character.isWhitespace(lower.charAt(i))) {
            i++;
        }
        return lower.startsWith(word, i);
    }

    private static String undecorated(String line) {
        int from = 0;
        int to = line.length();
        while (from < to && DECORATION.indexOf(line.charAt(from)) >= 0) {
            from++;
        }
        if (from < to && line.charAt(from) == '?' && from + 1 < to && line.charAt(from + 1) == ' ') {
            from += 2; // inquirer-style "? Question"
        }
        while (to > from && DECORATION.indexOf(line.charAt(to - 1)) >= 0) {
            to--;
        }
        return line.substring(from, to).strip();
    }

    /** A pattern and the substring test that must pass before it is worth trying. */
    private record LineRule(BiPredicate<String, String> mayMatch, Pattern pattern) {
        LineRule(BiPredicate<String, String> mayMatch, String regex) {
            this(mayMatch, Pattern.compile(regex));
        }
    }
}
