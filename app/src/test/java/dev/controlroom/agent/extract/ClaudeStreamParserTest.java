package dev.controlroom.agent.extract;

import dev.controlroom.agent.extract.AgentEvent.Error;
import dev.controlroom.agent.extract.AgentEvent.FileChange;
import dev.controlroom.agent.extract.AgentEvent.Message;
import dev.controlroom.agent.extract.AgentEvent.NeedsInput;
import dev.controlroom.agent.extract.AgentEvent.RateLimited;
import dev.controlroom.agent.extract.AgentEvent.SessionStarted;
import dev.controlroom.agent.extract.AgentEvent.ToolCall;
import dev.controlroom.agent.extract.AgentEvent.ToolResult;
import dev.controlroom.agent.extract.AgentEvent.TurnEnd;
import dev.controlroom.agent.extract.AgentEvent.Usage;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.controlroom.agent.extract.Samples.CLOCK;
import static dev.controlroom.agent.extract.Samples.feed;
import static dev.controlroom.agent.extract.Samples.only;
import static dev.controlroom.agent.extract.Samples.recorded;
import static dev.controlroom.agent.extract.Samples.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaudeStreamParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OutputParser parser = Parsers.forProfile("claude", true, CLOCK);

    @Test
    void successfulRunReportsSessionTextToolsTheWrittenFileUsageAndTheEndOfTheTurn() {
        String write = "toolu_01A7fGq2WcXk9LmN3pRtYv5B";
        String bash = "toolu_01Bc8hJ3XdYl0MnO4qSuZw6C";
        assertEquals(List.of(
                new SessionStarted("3f6c2a1e-8b7d-4c1a-9e2f-5a6b7c8d9e0f", Optional.of("claude-sonnet-4-5-20250929"),
                        Optional.of("/work/wt/task-7"), Optional.of("2.1.197")),
                new Message("I'll create the greeting file."),
                new ToolCall("Write", "{\"file_path\":\"/work/wt/task-7/hello.txt\",\"content\":\"Hello, world!\\n\"}", Optional.of(write)),
                new FileChange("/work/wt/task-7/hello.txt", "write"),
                new ToolResult(Optional.of(write), false, "File created successfully at: /work/wt/task-7/hello.txt"),
                new ToolCall("Bash", "{\"command\":\"cat hello.txt\",\"description\":\"Show the new file\"}", Optional.of(bash)),
                new ToolResult(Optional.of(bash), false, "Hello, world!"),
                new Message("Created hello.txt with the greeting."),
                new Usage(12, 187, 15702, 5500, Optional.of("claude-sonnet-4-5-20250929"), Optional.of(0.02345)),
                new TurnEnd(false, Optional.of("Created hello.txt with the greeting."), Optional.of(4), Optional.of(8123L))),
                feed(parser, "claude/success-write.jsonl"));
    }

    @Test
    void apiFailureReportsEachRetryAndTheFailureOnceAndEndsTheTurnInError() {
        List<AgentEvent> events = feed(parser, "claude/api-error.jsonl");

        assertEquals(List.of("session_started", "provider_retry", "provider_retry", "error", "turn_end"), types(events),
                "a failed call used no token; the CLI's own retries are not errors of the agent's");
        List<AgentEvent.ProviderRetry> retries = only(AgentEvent.ProviderRetry.class, events);
        assertEquals("API retry 1/2 after HTTP 500 (api_error)", retries.get(0).detail());
        assertEquals(1, retries.get(0).attempt());
        assertEquals(Optional.of(2), retries.get(0).maxRetries());
        assertEquals(Optional.of(500), retries.get(0).status());
        assertTrue(retries.get(0).delayMs().isPresent(), "the CLI says when it tries again");
        List<Error> errors = only(Error.class, events);
        assertTrue(errors.getFirst().message().startsWith("API Error: 500 {"), errors.getFirst().message());
        TurnEnd end = only(TurnEnd.class, events).getFirst();
        assertTrue(end.isError());
        assertEquals(Optional.of(1), end.turns());
    }

    @Test
    void runThatEndsOnAQuestionWaitsForTheAnswer() {
        List<AgentEvent> events = feed(parser, "claude/question.jsonl");

        String question = "The task says \"add a migration\" but the project has two databases. "
                + "Which one should the migration target: PostgreSQL (orders) or SQLite (cache)?";
        assertEquals(List.of("session_started", "message", "usage", "needs_input", "turn_end"), types(events));
        assertEquals(new NeedsInput(question, false), only(NeedsInput.class, events).getFirst());
        assertEquals(Optional.of("claude-opus-4-1-20250805"), only(Usage.class, events).getFirst().model());
    }

    @Test
    void rateLimitedRunReportsWhenTheLimitResetsAndIgnoresTheWarningThatStillAllows() {
        List<AgentEvent> events = feed(parser, "claude/rate-limited.jsonl");

        Instant reset = Instant.parse("2027-01-01T02:00:00Z");
        assertEquals(List.of("session_started", "rate_limited", "rate_limited", "rate_limited", "turn_end"), types(events));
        List<RateLimited> limits = only(RateLimited.class, events);
        assertEquals(new RateLimited(Optional.of(Instant.parse("2026-12-31T21:00:30Z")),
                "API retry 1/10 after HTTP 429 (rate_limit), next in 30000 ms"), limits.get(0));
        assertEquals(new RateLimited(Optional.of(reset), "Claude rate limit rejected (five_hour)"), limits.get(1));
        assertEquals(new RateLimited(Optional.of(reset), "You've hit your limit · resets 2am (UTC)"), limits.get(2));
        assertTrue(only(TurnEnd.class, events).getFirst().isError());
    }

    @Test
    void deniedPermissionAsksTheHumanToAllowTheTool() {
        List<AgentEvent> events = feed(parser, "claude/permission-denied.jsonl");

        assertEquals(List.of(new NeedsInput("Allow Bash (rm -rf build)?", true)), only(NeedsInput.class, events));
        assertTrue(only(ToolResult.class, events).getFirst().isError());
        assertTrue(only(Error.class, events).isEmpty());
    }

    @Test
    void rateLimitResetGivenAsIsoTextIsReadToo() {
        List<AgentEvent> events = parser.onLine("{\"type\":\"rate_limit_event\",\"rate_limit_info\":{\"status\":\"rejected\","
                + "\"resets_at\":\"2027-01-01T02:00:00Z\"}}");

        assertEquals(List.of(new RateLimited(Optional.of(Instant.parse("2027-01-01T02:00:00Z")), "Claude rate limit rejected")), events);
    }

    @Test
    void editsOfFilesAndNotebooksAreUpdates() {
        List<AgentEvent> events = parser.onLine("{\"type\":\"assistant\",\"message\":{\"content\":["
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Edit\",\"input\":{\"file_path\":\"/w/a.java\",\"old_string\":\"a\",\"new_string\":\"b\"}},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"NotebookEdit\",\"input\":{\"notebook_path\":\"/w/n.ipynb\",\"new_source\":\"x\"}}]}}");

        assertEquals(List.of(new FileChange("/w/a.java", "update"), new FileChange("/w/n.ipynb", "update")), only(FileChange.class, events));
    }

    @Test
    void runCutShortByMaxTurnsEndsInErrorWithTheSubtypeAsMessage() {
        List<AgentEvent> events = parser.onLine("{\"type\":\"result\",\"subtype\":\"error_max_turns\",\"is_error\":false,"
                + "\"num_turns\":11,\"duration_ms\":60000,\"usage\":{}}");

        assertEquals(List.of("error", "turn_end"), types(events));
        assertEquals("Claude Code ended with error_max_turns", only(Error.class, events).getFirst().message());
    }

    @Test
    void tokensOfTheNonStreamingFallbackAreReadFromModelUsageWhenUsageSaysZero() {
        List<AgentEvent> events = feed(parser, recorded("claude", "nonstreaming-fallback"));

        assertEquals(List.of(new Usage(300, 20, 0, 0, Optional.of("claude-opus-4-8"), Optional.of(0.002))), only(Usage.class, events));
    }

    @Test
    void usageAndModelUsageSayingTheSameAreCountedOnce() {
        List<AgentEvent> events = feed(parser, recorded("claude", "success"));

        assertEquals(List.of(new Usage(170, 40, 2100, 200, Optional.of("claude-opus-4-8"), Optional.of(0.004150000000000001))),
                only(Usage.class, events), "one source, the assistant lines' counts not added");
    }

    @Test
    void modelUsageWinsOverUsageAndReportsEachModelWithItsOwnCost() {
        ObjectNode result = resultOf("success");
        ((ObjectNode) result.path("modelUsage")).putObject("claude-haiku-4-5-20251001").put("inputTokens", 900).put("outputTokens", 30)
                .put("cacheReadInputTokens", 0).put("cacheCreationInputTokens", 0).put("costUSD", 0.00105);

        List<AgentEvent> events = feed(parser, withResult("success", result));

        assertEquals(List.of(new Usage(170, 40, 2100, 200, Optional.of("claude-opus-4-8"), Optional.of(0.004150000000000001)),
                new Usage(900, 30, 0, 0, Optional.of("claude-haiku-4-5-20251001"), Optional.of(0.00105))), only(Usage.class, events));
    }

    @Test
    void usageAloneCountsOnTheSessionsModel() {
        ObjectNode result = resultOf("success");
        result.remove("modelUsage");

        List<AgentEvent> events = feed(parser, withResult("success", result));

        assertEquals(List.of(new Usage(170, 40, 2100, 200, Optional.of("claude-opus-4-8"), Optional.of(0.004150000000000001))),
                only(Usage.class, events));
    }

    @Test
    void neitherUsageNorModelUsageCountingATokenReportsNoUsage() {
        assertTrue(only(Usage.class, feed(parser, recorded("claude", "api-error"))).isEmpty());
    }

    @Test
    void aSessionKilledBeforeItsResultKeepsWhatItsMessagesCountedEachMessageOnce() {
        List<String> lines = recorded("claude", "success");

        List<AgentEvent> events = feed(parser, lines.subList(0, lines.size() - 1));

        // msg_mock_1 is printed twice (text, then tool use) with the same counts; msg_mock_2 once.
        assertEquals(List.of(new Usage(170, 2, 2100, 200, Optional.of("claude-opus-4-8"), Optional.empty())), only(Usage.class, events));
    }

    @Test
    void oneModelUnderItsContextModeAndPlainNameIsReportedUnderOneName() {
        List<AgentEvent> events = feed(parser, recorded("claude", "question"));

        assertEquals(Optional.of("claude-opus-4-8"), only(SessionStarted.class, events).getFirst().model(), "init says claude-opus-4-8[1m]");
        assertEquals(Optional.of("claude-opus-4-8"), only(Usage.class, events).getFirst().model());
    }

    @Test
    void theStreamSaysTheCliVersion() {
        assertEquals(Optional.of("2.1.197"), only(SessionStarted.class, feed(parser, recorded("claude", "success"))).getFirst().cliVersion());
    }

    private static ObjectNode resultOf(String scenario) {
        try {
            return (ObjectNode) JSON.readTree(recorded("claude", scenario).getLast());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The recorded scenario with its result line changed. */
    private static List<String> withResult(String scenario, ObjectNode result) {
        List<String> lines = new java.util.ArrayList<>(recorded("claude", scenario));
        lines.set(lines.size() - 1, result.toString());
        return lines;
    }

    @Test
    void textOutsideTheStreamGoesThroughThePlainPatterns() {
        assertEquals(List.of("error"), types(parser.onLine("Error: Cannot find module '@anthropic-ai/claude-code-linux-x64'")));
    }

    @Test
    void malformedJsonIsReadAsTextAndDoesNotThrow() {
        assertEquals(List.of(), parser.onLine("{\"type\":\"assistant\",\"message\":{\"content\":[}}"));
        assertEquals(List.of(), parser.onLine("{not json"));
        assertEquals(List.of(), parser.onLine("[1,2,3]"));
        assertEquals(List.of(), parser.onEnd());
    }

    @Test
    void objectCutIntoPiecesByTheTerminalRecorderIsJoinedBack() {
        String text = "x".repeat(100_000);
        String line = "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}}";

        List<AgentEvent> events = feed(parser, List.of(line.substring(0, 65_536), line.substring(65_536)));

        assertEquals(List.of(new Message(text)), events);
    }

    @Test
    void shortTruncatedObjectIsNotHeldBackWaitingForTheRest() {
        assertEquals(List.of(), parser.onLine("{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"cut"));
        assertEquals(List.of("error"), types(parser.onLine("fatal: not a git repository")));
    }
}
