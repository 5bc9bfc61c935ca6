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

import java.util.List;
import java.util.Optional;

import static dev.controlroom.agent.extract.Samples.CLOCK;
import static dev.controlroom.agent.extract.Samples.captured;
import static dev.controlroom.agent.extract.Samples.feed;
import static dev.controlroom.agent.extract.Samples.only;
import static dev.controlroom.agent.extract.Samples.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streams the real Qwen Code printed (captured by RealCliQwenTest) read as our events. */
class QwenStreamParserTest {
    private static final String MODEL = "qwen-mock-model";

    private final OutputParser parser = Parsers.forProfile("qwen", true, CLOCK);

    @Test
    void runReportsTheSessionTheWrittenFileAndTheRunsTokensWithTheModelCachedInputSplitOff() {
        List<AgentEvent> events = feed(parser, captured("qwen", "success"));

        assertEquals(List.of("session_started", "tool_call", "file_change", "tool_result", "message", "usage", "turn_end"), types(events));
        SessionStarted started = only(SessionStarted.class, events).getFirst();
        assertEquals(Optional.of(MODEL), started.model());
        assertTrue(started.cwd().orElseThrow().endsWith("/work"));
        assertEquals(Optional.of("0.15.10"), started.cliVersion());
        ToolCall call = only(ToolCall.class, events).getFirst();
        assertEquals("write_file", call.tool());
        assertEquals(Optional.of("call_mock_0_0"), call.callId());
        FileChange change = only(FileChange.class, events).getFirst();
        assertTrue(change.path().endsWith("/work/hello.txt"), change.path());
        assertEquals("write", change.kind());
        assertFalse(only(ToolResult.class, events).getFirst().isError());
        assertEquals(new Message("I created hello.txt."), only(Message.class, events).getFirst());
        assertEquals(new Usage(270, 42, 50, 0, Optional.of(MODEL), Optional.empty()), only(Usage.class, events).getFirst());
        TurnEnd end = only(TurnEnd.class, events).getFirst();
        assertFalse(end.isError());
        assertEquals(Optional.of("I created hello.txt."), end.result());
        assertEquals(Optional.of(2), end.turns());
    }

    @Test
    void apiErrorTheCliCallsASuccessfulAnswerIsAFailedTurnWithTheErrorText() {
        List<AgentEvent> events = feed(parser, captured("qwen", "api-error"));

        assertEquals(List.of("session_started", "usage", "error", "turn_end"), types(events), "the error text is no message of the model");
        assertEquals("[API Error: 400 Mock rejects this request]", only(Error.class, events).getFirst().message());
        TurnEnd end = only(TurnEnd.class, events).getFirst();
        assertTrue(end.isError());
        assertEquals(Optional.of("[API Error: 400 Mock rejects this request]"), end.result());
    }

    @Test
    void finalQuestionNeedsInput() {
        List<AgentEvent> events = feed(parser, captured("qwen", "question"));

        assertEquals(List.of(new NeedsInput("Which port should the server listen on?", false)), only(NeedsInput.class, events));
        assertFalse(only(TurnEnd.class, events).getFirst().isError());
    }

    @Test
    void rateLimitedApiErrorIsARateLimit() {
        List<AgentEvent> events = feed(parser, List.of(
                "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"[API Error: 429 Rate limit exceeded, retry in 20s]\","
                        + "\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}"));

        assertEquals(List.of("usage", "rate_limited", "turn_end"), types(events));
        assertTrue(only(RateLimited.class, events).getFirst().resetAt().isPresent());
        assertTrue(only(TurnEnd.class, events).getFirst().isError());
    }

    @Test
    void textThatOnlyMentionsAnApiErrorIsAnAnswer() {
        List<AgentEvent> events = feed(parser, List.of(
                "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"Fixed the [API Error: 500] handling.\"}"));

        assertFalse(only(TurnEnd.class, events).getFirst().isError());
        assertTrue(only(Error.class, events).isEmpty());
    }
}
