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
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class CodexJsonParserTest {
    private final OutputParser parser = parser();

    private static OutputParser parser() {
        return Parsers.forProfile("codex", true, CLOCK);
    }

    @Test
    void successfulTurnReportsCommandsFileChangesMcpCallsTheAnswerAndUsageWithCachedInputSplitOff() {
        String answer = "Created hello.txt and linked it from README.md.";
        assertEquals(List.of(
                new SessionStarted("0199a213-81c0-7800-8aa1-bbab2a035a53", Optional.empty(), Optional.empty()),
                new ToolCall("shell", "{\"command\":\"bash -lc 'ls -la'\"}", Optional.of("item_1")),
                new ToolResult(Optional.of("item_1"), false, "total 8\ndrwxr-xr-x 2 dev dev 4096 Nov  3 10:15 .\n"
                        + "-rw-r--r-- 1 dev dev   42 Nov  3 10:15 README.md\n"),
                new FileChange("/work/wt/task-3/hello.txt", "add"),
                new FileChange("/work/wt/task-3/README.md", "update"),
                new ToolCall("shell", "{\"command\":\"bash -lc 'cat missing.txt'\"}", Optional.of("item_4")),
                new ToolResult(Optional.of("item_4"), true, "cat: missing.txt: No such file or directory\n"),
                new ToolCall("mcp__docs__search", "{\"query\":\"greeting style\"}", Optional.of("item_5")),
                new ToolResult(Optional.of("item_5"), false, "Use sentence case."),
                new Message(answer),
                new Usage(315, 122, 24448, 0, Optional.empty(), Optional.empty()),
                new TurnEnd(false, Optional.of(answer), Optional.empty(), Optional.empty())),
                feed(parser, "codex/success.jsonl"));
    }

    @Test
    void failedTurnReportsTheReconnectsAsOneRecurringErrorAndEndsInError() {
        List<AgentEvent> events = feed(parser, "codex/turn-failed.jsonl");

        assertEquals(List.of("session_started", "error", "error", "error", "turn_end"), types(events));
        List<Error> errors = only(Error.class, events);
        assertEquals(errors.get(0).fingerprint(), errors.get(1).fingerprint());
        assertNotEquals(errors.get(0).fingerprint(), errors.get(2).fingerprint());
        String failure = "stream disconnected before completion: error sending request for url (http://127.0.0.1:40123/v1/responses)";
        assertEquals(failure, errors.get(2).message());
        assertEquals(new TurnEnd(true, Optional.of(failure), Optional.empty(), Optional.empty()), only(TurnEnd.class, events).getFirst());
    }

    @Test
    void anErrorLineThatTheTurnFailureRepeatsIsReportedOnce() {
        for (String scenario : List.of("stream-failure", "failure")) {
            List<AgentEvent> events = feed(parser(), recorded("codex", scenario));

            assertEquals(List.of("session_started", "error", "turn_end"), types(events), scenario);
            assertEquals(only(TurnEnd.class, events).getFirst().result(), Optional.of(only(Error.class, events).getFirst().message()));
        }
    }

    @Test
    void cacheWritesAreSplitOffTheInputLikeCacheReads() {
        List<AgentEvent> events = feed(parser, recorded("codex", "cache-write"));

        // input 500 = 100 read from the cache + 300 written to it + 100 plain.
        assertEquals(List.of(new Usage(100, 20, 100, 300, Optional.empty(), Optional.empty())), only(Usage.class, events));
    }

    @Test
    void usageLimitThatFailsTheTurnIsARateLimitWithItsResetTime() {
        List<AgentEvent> events = parser.onLine("{\"type\":\"turn.failed\",\"error\":{\"message\":\"You've hit your usage limit. "
                + "Upgrade to Pro (https://openai.com/chatgpt/pricing) or try again in 2 hours 5 minutes.\"}}");

        assertEquals(List.of("rate_limited", "turn_end"), types(events));
        assertEquals(Optional.of(Instant.parse("2026-12-31T23:05:00Z")), only(RateLimited.class, events).getFirst().resetAt());
    }

    @Test
    void requestForUserInputNeedsTheHuman() {
        List<AgentEvent> events = parser.onLine("{\"type\":\"request_user_input\",\"call_id\":\"call_7\",\"questions\":"
                + "[{\"id\":\"q1\",\"header\":\"Database\",\"question\":\"Which database should I migrate?\",\"options\":[]}]}");

        assertEquals(List.of(new NeedsInput("Which database should I migrate?", false)), events);
    }

    @Test
    void answerThatIsAQuestionLeavesTheTurnWaitingForTheHuman() {
        parser.onLine("{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":\"agent_message\",\"text\":\"Shall I also update the changelog?\"}}");

        List<AgentEvent> events = parser.onLine("{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":10,\"cached_input_tokens\":0,\"output_tokens\":5}}");

        assertEquals(List.of("usage", "needs_input", "turn_end"), types(events));
    }

    @Test
    void startedAndUpdatedItemsAndUnknownEventsAreQuiet() {
        assertEquals(List.of(), parser.onLine("{\"type\":\"item.started\",\"item\":{\"id\":\"item_1\",\"type\":\"command_execution\"}}"));
        assertEquals(List.of(), parser.onLine("{\"type\":\"item.updated\",\"item\":null}"));
        assertEquals(List.of(), parser.onLine("{\"type\":\"item.completed\"}"));
        assertEquals(List.of(), parser.onLine("{\"type\":\"something.new\",\"x\":1}"));
    }

    @Test
    void failedMcpCallIsAnErrorResult() {
        List<AgentEvent> events = parser.onLine("{\"type\":\"item.completed\",\"item\":{\"id\":\"item_9\",\"type\":\"mcp_tool_call\","
                + "\"server\":\"db\",\"tool\":\"query\",\"arguments\":{},\"result\":null,\"error\":{\"message\":\"connection refused\"},\"status\":\"failed\"}}");

        assertEquals(new ToolResult(Optional.of("item_9"), true, "connection refused"), events.get(1));
    }
}
