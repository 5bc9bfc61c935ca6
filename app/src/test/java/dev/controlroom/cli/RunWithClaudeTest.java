package dev.controlroom.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.Launcher;
import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.store.Store;
import dev.controlroom.testsupport.AgentClis;
import dev.controlroom.testsupport.BuildTempDirs;
import dev.controlroom.testsupport.ClaudeEnv;
import dev.controlroom.testsupport.GitRepos;
import dev.controlroom.testsupport.MockAnthropicServer;
import dev.controlroom.testsupport.Script;
import dev.controlroom.testsupport.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run} on a plan mixing shell and Claude tasks, end to end: real CLI, mock model, worktree, events, tokens, verdicts. */
@Timeout(120)
class RunWithClaudeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(factory = BuildTempDirs.class)
    Path dir;


    @Test
    void planMixingShellAndClaudeTasksRunsEndToEnd() throws Exception {
        GitRepos.withOneCommit(dir.resolve("repo"));
        Script script = Script.of(
                Turn.toolUse("Write", Map.of("file_path", "${cwd}/hello.txt", "content", "hello\n")).withUsage(300, 40),
                Turn.text("Created hello.txt").withUsage(320, 8));
        try (MockAnthropicServer server = MockAnthropicServer.start(script)) {
            ClaudeEnv env = ClaudeEnv.builder(server.baseUrl(), Files.createDirectories(dir.resolve("claude-state"))).maxRetries(0)
                    .apiTimeout(Duration.ofSeconds(30)).build();
            StringBuilder envYaml = new StringBuilder();
            for (var e : env.variables().entrySet()) {
                envYaml.append("          ").append(e.getKey()).append(": ").append(JSON.writeValueAsString(e.getValue())).append('\n');
            }
            Path plan = Files.writeString(dir.resolve("mixed.yaml"), """
                    name: mixed
                    agents:
                      - { id: claude-mock, profile: claude, command: %s }
                    tasks:
                      - { id: prepare, command: "echo ready > prepared.txt" }
                      - id: write
                        prompt: Create hello.txt
                        agent: claude-mock
                        depends_on: [prepare]
                        verify: ["test -f hello.txt"]
                        context:
                          repo: repo
                          worktree: true
                          env:
                    %s
                      - { id: report, command: "echo done > report.txt", depends_on: [write] }
                    """.formatted(JSON.writeValueAsString(AgentClis.claude().toString()), envYaml.toString().stripTrailing()));
            CommandLine cli = Launcher.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            Path db = dir.resolve("cr.db");

            int exit = cli.execute("run", plan.toString(), "--db", db.toString());

            assertEquals(0, exit, out + "\n" + err);
            assertTrue(Files.exists(dir.resolve("prepared.txt")) && Files.exists(dir.resolve("report.txt")));
            assertTrue(out.toString().contains("write    1     succeeded  1/1       claude-mock"), out.toString());
            assertTrue(out.toString().contains("tokens: 620 input, 48 output"), out.toString());
            try (Store store = Store.open(db, Clock.systemUTC())) {
                RunSummary run = store.runs().latest(1).getFirst();
                SessionRecord claude = store.runs().sessions(run.id()).stream().filter(s -> s.id().contains(".write.")).findFirst().orElseThrow();
                assertTrue(claude.workingDir().contains("/worktrees/"), claude.workingDir());
                assertEquals("cr/" + run.id() + "/write", claude.branch().orElseThrow());
                assertTrue(Files.exists(Path.of(claude.workingDir()).resolve("hello.txt")));
                List<IterationRecord> iterations = store.runs().iterations(claude.id());
                assertEquals("passed", iterations.getFirst().status());
                assertEquals("test -f hello.txt", iterations.getFirst().checks().getFirst().command());
                var types = store.events().latest(500).stream().map(e -> e.type().id()).toList();
                assertTrue(types.containsAll(List.of("session_started", "tool_call", "file_change", "usage", "turn_end", "qa_verdict")), types.toString());
            }
        }
    }
}
