package dev.controlroom.agent;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.AgentStats;
import dev.controlroom.domain.AgentStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the Gemini CLI, OpenCode and Qwen Code profiles are started headless (the real CLIs run in the Real*RunTest classes). */
class AgentCommandsTest {
    private static final String OPTION_LIKE = "--help";
    private static final String LONG = "x".repeat(AgentCommands.LONGEST_PROMPT_ARGUMENT + 1);

    @TempDir
    Path dir;

    private static Agent agent(AgentProfile profile, Optional<String> model) {
        return new Agent(1, profile.id() + "-1", Optional.empty(), profile, model, Optional.empty(), 1, true, AgentStatus.IDLE,
                AgentStats.NONE, Optional.empty());
    }

    private AgentCommands.Invocation headless(AgentProfile profile, String prompt, Optional<String> resume) throws Exception {
        return AgentCommands.headless(agent(profile, Optional.of("m1")), prompt, resume, dir,
                text -> Files.writeString(dir.resolve("prompt.txt"), text));
    }

    @Test
    void claudeGetsControlRoomsMcpServerNamingTheTokensVariableAndTheOtherProfilesDoNot() throws Exception {
        Optional<String> url = Optional.of("http://127.0.0.1:3333/mcp");
        List<String> argv = AgentCommands.headless(agent(AgentProfile.CLAUDE, Optional.empty()), OPTION_LIKE, Optional.empty(), dir,
                text -> Files.writeString(dir.resolve("prompt.txt"), text), url).argv();
        int config = argv.indexOf("--mcp-config");
        assertEquals("{\"mcpServers\":{\"control-room\":{\"type\":\"http\",\"url\":\"http://127.0.0.1:3333/mcp\","
                + "\"headers\":{\"Authorization\":\"Bearer ${CONTROL_ROOM_API_TOKEN}\"}}}}", argv.get(config + 1));
        assertEquals(List.of("--allowedTools", "mcp__control-room"), argv.subList(config + 2, config + 4));
        assertEquals(List.of("--", OPTION_LIKE), argv.subList(argv.size() - 2, argv.size()), "the prompt stays the last argument");
        assertFalse(AgentCommands.headless(agent(AgentProfile.CLAUDE, Optional.empty()), "p", Optional.empty(), dir, text -> dir, Optional.empty())
                .argv().contains("--mcp-config"));
        assertTrue(AgentCommands.takesMcpServer(AgentProfile.CLAUDE));
        assertFalse(AgentCommands.takesMcpServer(AgentProfile.CODEX));
    }

    @Test
    void geminiGetsThePromptAsAnOptionValueInAnUntrustedFolderWithEditsAllowedAndResumesItsSession() throws Exception {
        AgentCommands.Invocation run = headless(AgentProfile.GEMINI, OPTION_LIKE, Optional.of("c0ffee00-1234"));

        assertEquals(List.of("gemini", "--output-format", "stream-json", "--skip-trust", "--approval-mode", "auto_edit", "-m", "m1",
                "--resume", "c0ffee00-1234", "--prompt=--help"), run.argv());
        assertTrue(run.structured());
        assertTrue(AgentCommands.canResume(AgentProfile.GEMINI));
    }

    @Test
    void qwenGetsThePromptAsAnOptionValueWithPartialMessagesAndResumesItsSession() throws Exception {
        AgentCommands.Invocation run = headless(AgentProfile.QWEN, OPTION_LIKE, Optional.of("s-1"));

        assertEquals(List.of("qwen", "--output-format", "stream-json", "--include-partial-messages", "--approval-mode", "auto-edit",
                "--model", "m1", "--resume", "s-1", "--prompt=--help"), run.argv());
        assertTrue(AgentCommands.canResume(AgentProfile.QWEN));
    }

    @Test
    void openCodeGetsThePromptAfterDoubleDashAndResumesItsSession() throws Exception {
        AgentCommands.Invocation run = headless(AgentProfile.OPENCODE, OPTION_LIKE, Optional.of("ses_1"));

        assertEquals(List.of("opencode", "run", "--format", "json", "--model", "m1", "--session", "ses_1", "--", "--help"), run.argv());
    }

    @Test
    void aLongPromptGoesOnStandardInputWithNoPromptArgument() throws Exception {
        for (AgentProfile profile : List.of(AgentProfile.GEMINI, AgentProfile.OPENCODE, AgentProfile.QWEN)) {
            AgentCommands.Invocation run = headless(profile, LONG, Optional.empty());

            assertEquals(dir.resolve("prompt.txt").toString(), run.environment().get("CONTROL_ROOM_PROMPT_FILE"), profile.id());
            assertEquals(LONG, Files.readString(dir.resolve("prompt.txt")));
            assertFalse(run.argv().stream().anyMatch(arg -> arg.contains(LONG)), profile.id() + ": " + run.argv().subList(0, 3));
            assertTrue(String.join(" ", run.argv()).contains("< \"$CONTROL_ROOM_PROMPT_FILE\""), profile.id());
        }
        // Gemini stays headless with an empty prompt option; standard input is the prompt.
        assertTrue(headless(AgentProfile.GEMINI, LONG, Optional.empty()).argv().contains("--prompt="));
    }

    @Test
    void interactiveQwenResumesItsSession() {
        assertEquals(List.of("qwen", "--resume", "s-1"), AgentCommands.interactive(agent(AgentProfile.QWEN, Optional.empty()), Optional.of("s-1")));
    }
}
