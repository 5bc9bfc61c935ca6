package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.controlroom.testsupport.Turn.Usage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Qwen Code ({@code qwen --output-format stream-json}) against {@link MockChatServer}: its
 * tools act on a real working folder. Every run's stdout is kept as a sample ({@link AgentSamples}).
 */
@Timeout(60)
class RealCliQwenTest {
    private static final Duration RUN = Duration.ofSeconds(40);

    @TempDir(factory = BuildTempDirs.class)
    Path dir;
    private Path work;

    @BeforeAll
    static void installTheCli() {
        assertEquals(AgentClis.QWEN_CODE_VERSION, AgentClis.version(AgentClis.qwen()));
    }

    @BeforeEach
    void workingFolder() throws IOException {
        work = Files.createDirectories(dir.resolve("work"));
    }

    @Test
    void writeFileToolWritesTheFileAndTheResultCountsTheWholeRunsUsageCachedInputIncluded() throws Exception {
        Script script = Script.of(
                Turn.toolUse("write_file", Map.of("file_path", "${cwd}/hello.txt", "content", "hello from qwen\n"))
                        .withUsage(new Usage(120, 30, 50, 0)),
                Turn.text("I created hello.txt.").withUsage(150, 12));
        try (MockChatServer server = MockChatServer.start(script)) {
            QwenEnv env = env(server);
            try (CliRun run = CliRun.start(env.headless("Create hello.txt"), env.variables(), work)) {
                assertEquals(0, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("qwen", "success", run);

                assertEquals("hello from qwen\n", Files.readString(work.resolve("hello.txt")));
                JsonNode init = run.events("system").getFirst();
                assertEquals("init", init.path("subtype").asText());
                assertEquals(AgentClis.QWEN_CODE_VERSION, init.path("qwen_code_version").asText());
                assertEquals(QwenEnv.MODEL, init.path("model").asText());
                assertFalse(init.path("session_id").asText().isBlank());
                JsonNode call = blocks(run, "assistant", "tool_use").getFirst();
                assertEquals("write_file", call.path("name").asText());
                assertFalse(blocks(run, "user", "tool_result").getFirst().path("is_error").asBoolean(true));

                JsonNode result = run.only("result");
                assertEquals("success", result.path("subtype").asText());
                assertEquals("I created hello.txt.", result.path("result").asText());
                assertEquals(320, result.path("usage").path("input_tokens").asInt(), "prompt tokens, cached ones included");
                assertEquals(50, result.path("usage").path("cache_read_input_tokens").asInt());
                assertEquals(42, result.path("usage").path("output_tokens").asInt());
                assertEquals(2, result.path("num_turns").asInt());
            }
            assertEquals(2, server.conversationRequests().size(), "no memory extraction or other extra calls");
        }
    }

    @Test
    void apiErrorIsAnsweredAsTheAssistantsTextAndTheRunStillSucceeds() throws Exception {
        try (MockChatServer server = MockChatServer.start(Script.of(
                Turn.httpError(400, "invalid_request_error", "Mock rejects this request")))) {
            QwenEnv env = env(server);
            try (CliRun run = CliRun.start(env.headless("Do something"), env.variables(), work)) {
                assertEquals(0, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("qwen", "api-error", run);

                JsonNode result = run.only("result");
                assertEquals("success", result.path("subtype").asText());
                assertFalse(result.path("is_error").asBoolean(true));
                assertEquals("[API Error: 400 Mock rejects this request]", result.path("result").asText());
            }
        }
    }

    @Test
    void questionEndsTheRunAndResumeContinuesTheSameSession() throws Exception {
        Script script = Script.of(Turn.text("Which port should the server listen on?"), Turn.text("Using port 8080."));
        try (MockChatServer server = MockChatServer.start(script)) {
            QwenEnv env = env(server);
            String sessionId;
            try (CliRun ask = CliRun.start(env.headless("Start the server"), env.variables(), work)) {
                assertEquals(0, ask.awaitExit(RUN), ask.transcript());
                AgentSamples.save("qwen", "question", ask);
                assertEquals("Which port should the server listen on?", ask.only("result").path("result").asText());
                sessionId = ask.only("result").path("session_id").asText();
            }
            List<String> resume = new ArrayList<>(env.headless("Port 8080, please."));
            resume.addAll(resume.size() - 1, List.of("--resume", sessionId));
            try (CliRun answer = CliRun.start(resume, env.variables(), work)) {
                assertEquals(0, answer.awaitExit(RUN), answer.transcript());
                AgentSamples.save("qwen", "answer-resumed", answer);
                assertEquals(sessionId, answer.only("result").path("session_id").asText());
                assertEquals("Using port 8080.", answer.only("result").path("result").asText());
            }
            String resumed = server.conversationRequests().get(1).toString();
            assertTrue(resumed.contains("Port 8080, please.") && resumed.contains("Which port should the server listen on?"), resumed);
        }
    }

    private QwenEnv env(MockChatServer server) throws IOException {
        return QwenEnv.create(server.baseUrl(), dir.resolve("state"), Duration.ofSeconds(30));
    }

    /** The content blocks of one kind in the messages of one event type. */
    private static List<JsonNode> blocks(CliRun run, String eventType, String blockType) {
        List<JsonNode> found = new ArrayList<>();
        run.events(eventType).forEach(event -> event.path("message").path("content").forEach(block -> {
            if (block.path("type").asText().equals(blockType)) {
                found.add(block);
            }
        }));
        if (found.isEmpty()) {
            throw new AssertionError("no " + blockType + " in " + eventType + " events\n" + run.transcript());
        }
        return found;
    }
}
