package dev.controlroom.agent.extract;

import dev.controlroom.agent.extract.AgentEvent.Error;
import dev.controlroom.agent.extract.AgentEvent.NeedsInput;
import dev.controlroom.agent.extract.AgentEvent.RateLimited;
import dev.controlroom.agent.extract.AgentEvent.TestResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneId;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static dev.controlroom.agent.extract.Samples.CLOCK;
import static dev.controlroom.agent.extract.Samples.feed;
import static dev.controlroom.agent.extract.Samples.lines;
import static dev.controlroom.agent.extract.Samples.only;
import static dev.controlroom.agent.extract.Samples.plain;
import static dev.controlroom.agent.extract.Samples.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlainParserTest {
    @Test
    void patternsAreVersioned() {
        assertEquals("2026.11", PlainPatterns.VERSION);
    }

    @Test
    void javaStackTraceIsOneErrorNamedByItsFirstLine() {
        List<AgentEvent> events = feed(new PlainParser(CLOCK), "plain/java-stack-trace.txt");

        assertEquals(List.of(
                "Exception in thread \"main\" java.lang.IllegalStateException: order 42 has no customer",
                "java.io.UncheckedIOException: java.nio.file.NoSuchFileException: /var/data/orders.csv"),
                only(Error.class, events).stream().map(Error::message).toList());
        assertEquals(2, events.size());
    }

    @Test
    void nodeErrorWithItsStackIsOneError() {
        List<AgentEvent> events = plain("TypeError: Cannot read properties of undefined (reading 'id')",
                "    at Object.<anonymous> (/work/app/index.js:3:17)", "    at node:internal/main/run_main_module:28:49", "", "Node.js v20.11.0");

        assertEquals(List.of(Error.of("TypeError: Cannot read properties of undefined (reading 'id')")), events);
    }

    @Test
    void pythonTracebackIsOneErrorNamedByItsExceptionLine() {
        List<AgentEvent> events = feed(new PlainParser(CLOCK), "plain/python-traceback.txt");

        assertEquals(List.of(Error.of("ValueError: invalid literal for int() with base 10: 'eighty'")), events);
    }

    @Test
    void tracebackCutOffByTheEndOfOutputIsStillReported() {
        List<AgentEvent> events = plain("Traceback (most recent call last):", "  File \"/w/main.py\", line 3, in <module>", "    run()");

        assertEquals(List.of("error"), types(events));
        assertTrue(only(Error.class, events).getFirst().message().endsWith("run()"));
    }

    @Test
    void compilerErrorsOfEachToolchainAreErrors() {
        List<AgentEvent> events = feed(new PlainParser(CLOCK), "plain/compiler-errors.txt");

        assertEquals(List.of(
                "src/main/java/dev/example/Order.java:14: error: cannot find symbol",
                "main.c:5:12: error: use of undeclared identifier 'countr'",
                "main.c:1:10: fatal error: 'stdlib2.h' file not found",
                "error[E0425]: cannot find value `totl` in this scope",
                "error: could not compile `orders` (bin \"orders\") due to 1 previous error",
                "src/app.ts(3,7): error TS2304: Cannot find name 'ordr'.",
                "src/app.ts:9:1 - error TS2322: Type 'string' is not assignable to type 'number'.",
                "./main.go:12:2: undefined: fmt.Printn",
                "e: file:///work/wt/task-2/src/main/kotlin/Order.kt:7:5 Unresolved reference: custmer"),
                only(Error.class, events).stream().map(Error::message).toList());
        assertEquals(only(Error.class, events).size(), events.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ERROR: relation \"orders\" does not exist",
            "fatal: not a git repository (or any of the parent directories): .git",
            "Error: Cannot find module 'express'",
            "FATAL: password authentication failed for user \"app\"",
            "2026-11-03 10:15:02,114 [main] ERROR d.e.OrderService - could not load orders",
            "2026-11-03T10:15:02.114Z ERROR 4711 --- [main] d.e.OrderService : could not load orders",
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.14.0:compile",
            "time=2026-11-03T10:15:02Z level=error msg=\"connection refused\"",
            "panic: runtime error: index out of range [3] with length 3",
            "thread 'main' panicked at src/main.rs:2:5:",
            "npm error code ENOENT"})
    void errorLinesAreErrors(String line) {
        assertEquals(List.of(Error.of(line)), plain(line));
    }

    @Test
    void linesThatOnlyMentionErrorsAreNotErrors() {
        List<AgentEvent> events = feed(new PlainParser(CLOCK), "plain/false-positives.txt");

        assertEquals(List.of(), events);
    }

    @Test
    void oneNpmErrorOverManyLinesIsOneError() {
        List<AgentEvent> events = plain("npm error code ENOENT", "npm error syscall open", "npm error path /w/package.json",
                "npm error A complete log of this run can be found in: /root/.npm/_logs/debug-0.log");

        assertEquals(List.of(Error.of("npm error code ENOENT")), events);
    }

    @Test
    void mavenBoilerplateAroundAnErrorIsNotMoreErrors() {
        List<AgentEvent> events = plain("[ERROR] Failed to execute goal x:y:1.0:test (default-test) on project app: There are test failures.",
                "[ERROR] ", "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.",
                "[ERROR] Re-run Maven using the -X switch to enable full debug logging.", "[ERROR] -> [Help 1]");

        assertEquals(List.of("error"), types(events));
    }

    @Test
    void surefireReportsTheRunTotalNotEachTestClass() {
        List<AgentEvent> events = plain(
                "[INFO] Tests run: 4, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.051 s -- in dev.example.OrderTest",
                "[INFO] Results:",
                "[ERROR] Tests run: 12, Failures: 1, Errors: 1, Skipped: 2");

        assertEquals(List.of(new TestResult("junit", 8, 2, 2)), events);
    }

    @Test
    void testSummariesOfEachFrameworkAreCounted() {
        assertEquals(List.of(new TestResult("gradle", 9, 1, 2)), plain("12 tests completed, 1 failed, 2 skipped"));
        assertEquals(List.of(new TestResult("pytest", 10, 4, 2)),
                plain("===== 3 failed, 10 passed, 1 skipped, 1 xfailed, 1 error, 2 warnings in 0.12s ====="));
        assertEquals(List.of(new TestResult("pytest", 5, 0, 0)), plain("5 passed in 0.03s"));
        assertEquals(List.of(new TestResult("jest", 5, 1, 0)), plain("Tests:       1 failed, 5 passed, 6 total"));
        assertEquals(List.of(new TestResult("vitest", 5, 1, 0)), plain("      Tests  1 failed | 5 passed (6)"));
        assertEquals(List.of(new TestResult("cargo", 3, 1, 0)),
                plain("test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s"));
    }

    @Test
    void goTestIsCountedPerPackageFromItsTopLevelTestLines() {
        List<AgentEvent> events = feed(new PlainParser(CLOCK), "plain/go-test.txt");

        assertEquals(List.of(new TestResult("go", 1, 1, 1), new TestResult("go", 0, 0, 0), new TestResult("go", 0, 1, 0)), events);
    }

    @Test
    void nodeTestSummaryBlockIsOneResult() {
        assertEquals(List.of(new TestResult("node", 4, 1, 1)), feed(new PlainParser(CLOCK), "plain/node-test.txt"));
        assertEquals(List.of(new TestResult("node", 5, 1, 0)), plain("# tests 6", "# pass 5", "# fail 1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Do you want to make this edit to hello.txt?",
            "│ Do you want to proceed?                                   │",
            "Overwrite existing file? (y/n)",
            "? Install missing dependencies? (Y/n)",
            "Proceed with installation? [Y/n]",
            "Add src/app.py to the chat? (Y)es/(N)o/(A)ll/(S)kip all/(D)on't ask again [Yes]:",
            "Allow Bash to run `rm -rf build`?",
            "Continue? ",
            "Claude requested permissions to write to /w/a.txt, but you haven't granted it yet."})
    void permissionAndYesNoPromptsNeedInputWithPermission(String line) {
        List<AgentEvent> events = plain(line);

        assertEquals(1, events.size(), events.toString());
        assertTrue(((NeedsInput) events.getFirst()).permission(), line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Press Enter to continue...", "Enter to select · ↑/↓ to navigate · Esc to cancel",
            "Would you like me to add tests as well?"})
    void otherPromptsNeedInputWithoutPermission(String line) {
        assertEquals(List.of(new NeedsInput(line.strip(), false)), plain(line));
    }

    @Test
    void busyAgentThatCanBeInterruptedIsNotWaiting() {
        assertEquals(List.of(), plain("✻ Thinking… (esc to interrupt)"));
    }

    @Test
    void rateLimitsReportWhenTheyResetWhereTheTextSays() {
        assertEquals(List.of(new RateLimited(Optional.of(Instant.parse("2026-12-31T21:00:20Z")), "Rate limit reached. Please try again in 20s.")),
                plain("Rate limit reached. Please try again in 20s."));
        assertEquals(Optional.of(Instant.parse("2026-12-31T21:06:00Z")),
                resetOf("Error: 429 Too Many Requests: please try again in 6m0s"));
        assertEquals(Optional.of(Instant.parse("2026-12-31T21:01:30Z")), resetOf("HTTP 429: Retry-After: 90"));
        assertEquals(Optional.of(Instant.parse("2027-01-01T17:00:00Z")), resetOf("Claude usage limit reached ... resets at 5pm"),
                "5pm already passed today: tomorrow's");
        assertEquals(Optional.of(Instant.parse("2026-12-31T22:30:00Z")), resetOf("5-hour limit reached ∙ resets 10:30pm"));
        assertEquals(Optional.of(Instant.parse("2027-01-01T06:00:00Z")), resetOf("You've hit your limit · resets 2pm (Asia/Shanghai)"));
        assertEquals(Optional.of(Instant.parse("2025-06-14T18:00:00Z")), resetOf("Claude AI usage limit reached|1749924000"));
        assertEquals(Optional.empty(), resetOf("Too Many Requests"));
    }

    @Test
    void clockTimeIsReadInTheClocksZone() {
        Clock berlin = Clock.fixed(Instant.parse("2026-12-31T21:00:00Z"), ZoneId.of("Europe/Berlin"));

        List<AgentEvent> events = feed(new PlainParser(berlin), List.of("usage limit reached, resets at 23:30"));

        assertEquals(Optional.of(Instant.parse("2026-12-31T22:30:00Z")), ((RateLimited) events.getFirst()).resetAt());
    }

    @Test
    void errorThatIsARateLimitIsReportedOnlyAsTheRateLimit() {
        assertEquals(List.of("rate_limited"), types(plain("ERROR: 429 Too Many Requests")));
        assertEquals(List.of("rate_limited"), types(plain("Traceback (most recent call last):", "  File \"a.py\", line 1",
                "openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o'}}")));
    }

    @Test
    void blankAndOrdinaryLinesCostNothing() {
        for (String line : lines("plain/false-positives.txt")) {
            assertEquals(List.of(), new PlainParser(CLOCK).onLine(line), line);
        }
        assertEquals(List.of(), new PlainParser(CLOCK).onLine(""));
    }

    private static Optional<Instant> resetOf(String line) {
        List<AgentEvent> events = plain(line);
        assertEquals(List.of("rate_limited"), types(events), line);
        return ((RateLimited) events.getFirst()).resetAt();
    }
}
