package dev.controlroom.agent.extract;

import dev.controlroom.agent.extract.AgentEvent.Error;
import dev.controlroom.agent.extract.AgentEvent.FileChange;
import dev.controlroom.agent.extract.AgentEvent.Message;
import dev.controlroom.agent.extract.AgentEvent.SessionStarted;
import dev.controlroom.agent.extract.AgentEvent.ToolCall;
import dev.controlroom.agent.extract.AgentEvent.ToolResult;
import dev.controlroom.agent.extract.AgentEvent.TurnEnd;
import dev.controlroom.agent.extract.AgentEvent.Usage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.controlroom.agent.extract.Samples.CLOCK;
import static dev.controlroom.agent.extract.Samples.feed;
import static dev.controlroom.agent.extract.Samples.only;
import static dev.controlroom.agent.extract.Samples.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeminiStreamParserTest {
    private final OutputParser parser = Parsers.forProfile("gemini", true, CLOCK);

    @Test
    void runJoinsStreamedTextReportsToolsAndTheWrittenFileAndUsageWithCachedInputSplitOff() {
        String write = "write_file-1762164901900-3f2a";
        String shell = "run_shell_command-1762164902700-9c1d";
        String answer = "Created hello.txt; nope.txt does not exist.";
        assertEquals(List.of(
                new SessionStarted("c0ffee00-1234-4abc-9def-0123456789ab", Optional.of("gemini-2.5-pro"), Optional.empty()),
                new Message("I'll create the file."),
                new ToolCall("write_file", "{\"file_path\":\"/work/wt/task-5/hello.txt\",\"content\":\"Hello, world!\\n\"}", Optional.of(write)),
                new FileChange("/work/wt/task-5/hello.txt", "write"),
                new ToolResult(Optional.of(write), false, "Successfully created and wrote to new file: /work/wt/task-5/hello.txt."),
                new ToolCall("run_shell_command", "{\"command\":\"cat hello.txt nope.txt\",\"description\":\"Show the files\"}",
                        Optional.of(shell)),
                new ToolResult(Optional.of(shell), true, "cat: nope.txt: No such file or directory"),
                Error.of("warning: Loop detection is disabled for this session"),
                new Message(answer),
                new Usage(6152, 312, 2048, 0, Optional.of("gemini-2.5-pro"), Optional.empty()),
                new TurnEnd(false, Optional.of(answer), Optional.empty(), Optional.of(3590L))),
                feed(parser, "gemini/success.jsonl"));
    }

    @Test
    void failedResultReportsTheErrorAndEndsTheTurnInError() {
        List<AgentEvent> events = feed(parser, List.of(
                "{\"type\":\"init\",\"session_id\":\"s1\",\"model\":\"gemini-2.5-flash\"}",
                "{\"type\":\"result\",\"status\":\"error\",\"error\":{\"type\":\"FatalTurnLimitedError\",\"message\":\"Reached max session turns\"},"
                        + "\"stats\":{\"input_tokens\":100,\"output_tokens\":7}}"));

        assertEquals(List.of("session_started", "usage", "error", "turn_end"), types(events));
        assertEquals("Reached max session turns", only(Error.class, events).getFirst().message());
        assertTrue(only(TurnEnd.class, events).getFirst().isError());
    }

    @Test
    void tokenCountsAreFoundUnderOlderNamesAndInThePerModelBreakdown() {
        List<AgentEvent> events = parser.onLine("{\"type\":\"result\",\"status\":\"success\",\"stats\":{\"models\":"
                + "{\"gemini-2.5-pro\":{\"tokens\":{\"prompt\":24939,\"candidates\":20,\"cached\":21263}}}}}");

        assertEquals(new Usage(3676, 20, 21263, 0, Optional.of("gemini-2.5-pro"), Optional.empty()), events.getFirst());
    }

    @Test
    void textStillStreamingWhenTheOutputEndsIsReported() {
        parser.onLine("{\"type\":\"message\",\"role\":\"assistant\",\"content\":\"Half an ans\",\"delta\":true}");

        assertEquals(List.of(new Message("Half an ans")), parser.onEnd());
    }

    @Test
    void quotaErrorIsARateLimit() {
        assertEquals(List.of("rate_limited"), types(parser.onLine("{\"type\":\"error\",\"severity\":\"error\","
                + "\"message\":\"[API Error: You have exhausted your daily quota on this model. RESOURCE_EXHAUSTED (429)]\"}")));
    }

    @Test
    void capturedRunOnTheAutoModelCountsTokensPerModelAndEndsOnTheQuestion() {
        List<AgentEvent> events = feed(parser, Samples.captured("gemini", "question-auto-model"));

        List<Usage> usage = only(Usage.class, events);
        assertEquals(2, usage.size(), usage::toString);
        assertTrue(usage.stream().allMatch(u -> u.model().isPresent() && !u.model().get().equals("auto")), usage::toString);
        assertEquals(201, usage.stream().mapToLong(Usage::inputTokens).sum(), "the routing call's token and the answer's 200");
        assertEquals(List.of(new AgentEvent.NeedsInput("Which port should the server listen on?", false)),
                only(AgentEvent.NeedsInput.class, events));
    }

    @Test
    void capturedApiErrorEndsTheTurnFailedWithTheErrorAsItsResult() {
        List<AgentEvent> events = feed(parser, Samples.captured("gemini", "api-error"));

        TurnEnd end = only(TurnEnd.class, events).getFirst();
        assertTrue(end.isError());
        assertTrue(end.result().orElseThrow().contains("Mock rejects this request"), end.toString());
        assertTrue(only(Error.class, events).getFirst().message().contains("Mock rejects this request"));
    }
}
