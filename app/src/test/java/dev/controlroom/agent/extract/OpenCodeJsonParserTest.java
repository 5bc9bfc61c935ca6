package dev.controlroom.agent.extract;

import dev.controlroom.agent.extract.AgentEvent.Error;
import dev.controlroom.agent.extract.AgentEvent.FileChange;
import dev.controlroom.agent.extract.AgentEvent.Message;
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
import static dev.controlroom.agent.extract.Samples.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenCodeJsonParserTest {
    private final OutputParser parser = Parsers.forProfile("opencode", true, CLOCK);

    @Test
    void runReportsToolsTheWrittenFileUsagePerStepAndEndsTheTurnOnlyWhenTheModelStops() {
        String write = "toolu_01Rw3Sx4Ty5Uz6Va7Wb8Xc9Y";
        String bash = "toolu_01Sx4Ty5Uz6Va7Wb8Xc9Yd0Z";
        String answer = "Created hello.txt. There is no test script in package.json, so nothing was run.";
        assertEquals(List.of(
                new SessionStarted("ses_494719016ffe85dkDMj0FPRbHK", Optional.empty(), Optional.empty()),
                new ToolCall("write", "{\"filePath\":\"/work/wt/task-9/hello.txt\",\"content\":\"Hello, world!\\n\"}", Optional.of(write)),
                new ToolResult(Optional.of(write), false, ""),
                new FileChange("/work/wt/task-9/hello.txt", "write"),
                new Usage(1200, 85, 9000, 300, Optional.empty(), Optional.of(0.0041)),
                new ToolCall("bash", "{\"command\":\"npm test\",\"description\":\"Run the tests\"}", Optional.of(bash)),
                new ToolResult(Optional.of(bash), true, "npm error Missing script: \"test\""),
                new Message(answer),
                new Usage(300, 40, 10200, 0, Optional.empty(), Optional.of(0.0012)),
                new TurnEnd(false, Optional.of(answer), Optional.empty(), Optional.empty())),
                feed(parser, "opencode/success.jsonl"));
    }

    @Test
    void toolReportedRunningAndThenCompletedIsCalledOnce() {
        String running = "{\"type\":\"tool_use\",\"sessionID\":\"ses_1\",\"part\":{\"callID\":\"c1\",\"tool\":\"edit\","
                + "\"state\":{\"status\":\"running\",\"input\":{\"filePath\":\"/w/a.ts\"}}}}";
        String done = running.replace("running", "completed").replace("}}}}", "},\"output\":\"ok\"}}}");

        List<AgentEvent> events = feed(parser, List.of(running, done));

        assertEquals(List.of(new ToolCall("edit", "{\"filePath\":\"/w/a.ts\"}", Optional.of("c1")),
                new ToolResult(Optional.of("c1"), false, "ok"), new FileChange("/w/a.ts", "update")), events);
    }

    @Test
    void providerRateLimitIsARateLimitAndOtherErrorsAreErrorsThatEndTheTurn() {
        assertEquals(List.of(new RateLimited(Optional.of(Instant.parse("2026-12-31T21:00:20Z")), "APIError: Rate limit exceeded, retry in 20s")),
                parser.onLine("{\"type\":\"error\",\"timestamp\":1767036063000,\"sessionID\":\"ses_1\",\"error\":{\"name\":\"APIError\","
                        + "\"data\":{\"message\":\"Rate limit exceeded, retry in 20s\",\"statusCode\":429,\"isRetryable\":true}}}"));
        assertEquals(List.of(Error.of("ProviderAuthError: Invalid API key"),
                        new TurnEnd(true, Optional.of("ProviderAuthError: Invalid API key"), Optional.empty(), Optional.empty())),
                parser.onLine("{\"type\":\"error\",\"sessionID\":\"ses_1\",\"error\":{\"name\":\"ProviderAuthError\","
                        + "\"data\":{\"providerID\":\"anthropic\",\"message\":\"Invalid API key\"}}}"));
    }

    @Test
    void onlyTheFirstStepStartsTheSession() {
        String start = "{\"type\":\"step_start\",\"sessionID\":\"ses_1\",\"part\":{\"type\":\"step-start\"}}";

        assertEquals(List.of("session_started"), types(feed(parser, List.of(start, start))));
    }

    @Test
    void capturedApiErrorIsAnErrorThatEndsTheTurnFailed() {
        List<AgentEvent> events = feed(parser, Samples.captured("opencode", "api-error"));

        assertEquals(List.of(Error.of("APIError: Mock rejects this request"),
                new TurnEnd(true, Optional.of("APIError: Mock rejects this request"), Optional.empty(), Optional.empty())), events);
    }

    @Test
    void capturedRunReportsTheWrittenFileAndEachStepsTokensWithoutAModel() {
        List<AgentEvent> events = feed(parser, Samples.captured("opencode", "success"));

        assertEquals(List.of("session_started", "tool_call", "tool_result", "file_change", "usage", "message", "usage", "turn_end"),
                types(events));
        assertTrue(only(FileChange.class, events).getFirst().path().endsWith("/work/hello.txt"));
        assertEquals(List.of(new Usage(120, 30, 50, 0, Optional.empty(), Optional.of(0.0)),
                new Usage(150, 12, 0, 0, Optional.empty(), Optional.of(0.0))), only(Usage.class, events));
    }
}
