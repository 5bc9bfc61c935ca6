package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The real OpenCode ({@code opencode run --format json}) against {@link MockChatServer} as a custom
 * provider: its tools act on a real working folder. Every run's stdout is kept as a sample
 * ({@link AgentSamples}). Worth knowing when parsing: no event names the model, and text arrives
 * only when a text part is complete.
 */
@Timeout(60)
class RealCliOpenCodeTest {
    private static final Duration RUN = Duration.ofSeconds(40);

    @TempDir(factory = BuildTempDirs.class)
    Path dir;
    private Path work;

    @BeforeAll
    static void installTheCli() {
        assertEquals(AgentClis.OPENCODE_VERSION, AgentClis.version(AgentClis.opencode()));
    }

    @BeforeEach
    void workingFolder() throws IOException {
        work = Files.createDirectories(dir.resolve("work"));
    }

    @Test
    void writeToolWritesTheFileAndEachStepReportsItsTokens() throws Exception {
        Script script = Script.of(
                Turn.toolUse("write", Map.of("filePath", "${cwd}/hello.txt", "content", "hello from opencode\n"))
                        .withUsage(new Turn.Usage(120, 30, 50, 0)),
                Turn.text("I created hello.txt.").withUsage(150, 12));
        try (MockChatServer server = MockChatServer.start(script)) {
            OpenCodeEnv env = env(server);
            try (CliRun run = CliRun.start(env.run("Create hello.txt"), withPwd(env), work)) {
                assertEquals(0, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("opencode", "success", run);

                assertEquals("hello from opencode\n", Files.readString(work.resolve("hello.txt")));
                JsonNode tool = run.only("tool_use").path("part");
                assertEquals("write", tool.path("tool").asText());
                assertEquals("completed", tool.path("state").path("status").asText());
                List<JsonNode> steps = run.events("step_finish");
                assertEquals(List.of("tool-calls", "stop"), steps.stream().map(s -> s.path("part").path("reason").asText()).toList());
                JsonNode first = steps.getFirst().path("part").path("tokens");
                assertEquals(120, first.path("input").asInt(), "input without the cached tokens");
                assertEquals(50, first.path("cache").path("read").asInt());
                assertEquals("I created hello.txt.", run.only("text").path("part").path("text").asText());
                assertFalse(run.stdout().contains("mock-model"), "no event names the model");
                assertTrue(run.events().stream().allMatch(e -> e.path("sessionID").asText().startsWith("ses_")));
            }
        }
    }

    @Test
    void apiErrorIsAnErrorEventAndExitCodeOne() throws Exception {
        try (MockChatServer server = MockChatServer.start(Script.of(
                Turn.httpError(400, "invalid_request_error", "Mock rejects this request")))) {
            OpenCodeEnv env = env(server);
            try (CliRun run = CliRun.start(env.run("Do something"), withPwd(env), work)) {
                assertEquals(1, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("opencode", "api-error", run);

                JsonNode error = run.only("error").path("error");
                assertEquals("APIError", error.path("name").asText());
                assertEquals("Mock rejects this request", error.path("data").path("message").asText());
                assertEquals(400, error.path("data").path("statusCode").asInt());
                assertTrue(run.events("step_finish").isEmpty());
            }
        }
    }

    @Test
    void questionEndsTheRunAndTheSessionContinuesWithItsId() throws Exception {
        Script script = Script.of(Turn.text("Which port should the server listen on?"), Turn.text("Using port 8080."));
        try (MockChatServer server = MockChatServer.start(script)) {
            OpenCodeEnv env = env(server);
            String sessionId;
            try (CliRun ask = CliRun.start(env.run("Start the server"), withPwd(env), work)) {
                assertEquals(0, ask.awaitExit(RUN), ask.transcript());
                AgentSamples.save("opencode", "question", ask);
                sessionId = ask.only("text").path("sessionID").asText();
            }
            List<String> resume = new ArrayList<>(env.run("Port 8080, please."));
            resume.addAll(resume.indexOf("--"), List.of("--session", sessionId));
            try (CliRun answer = CliRun.start(resume, withPwd(env), work)) {
                assertEquals(0, answer.awaitExit(RUN), answer.transcript());
                AgentSamples.save("opencode", "answer-resumed", answer);
                assertEquals(sessionId, answer.only("text").path("sessionID").asText());
                assertEquals("Using port 8080.", answer.only("text").path("part").path("text").asText());
            }
        }
    }

    private OpenCodeEnv env(MockChatServer server) throws IOException {
        return OpenCodeEnv.create(server.baseUrl(), dir.resolve("state"));
    }

    /** OpenCode works in $PWD when it is set, over its real working directory: set it as Control Room does. */
    private Map<String, String> withPwd(OpenCodeEnv env) {
        Map<String, String> variables = new java.util.HashMap<>(env.variables());
        variables.put("PWD", work.toString());
        return variables;
    }
}
