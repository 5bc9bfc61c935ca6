package dev.controlroom.ui.agents;

import dev.controlroom.agent.CliVersions.CliVersion;
import dev.controlroom.domain.AgentProfile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CliLineTest {
    private static CliVersion found(AgentProfile profile, String version) {
        return new CliVersion(profile, Optional.of(Path.of("/usr/bin/" + profile.id())), Optional.of(version));
    }

    private static CliVersion missing(AgentProfile profile) {
        return new CliVersion(profile, Optional.empty(), Optional.empty());
    }

    @Test
    void foundClisComeFirstWithTheirVersionsAndTheMissingOnesInOneShortList() {
        assertEquals("claude 2.1.197 · codex 0.169.0 — not found: gemini, aider",
                AgentsViewModel.describe(List.of(found(AgentProfile.CLAUDE, "2.1.197"), missing(AgentProfile.GEMINI),
                        found(AgentProfile.CODEX, "0.169.0"), missing(AgentProfile.AIDER))));
    }

    @Test
    void withNoCliAtAllItSaysShellAgentsStillWork() {
        assertEquals("No agent CLI on PATH (looked for claude, codex); shell agents work without one.",
                AgentsViewModel.describe(List.of(missing(AgentProfile.CLAUDE), missing(AgentProfile.CODEX))));
    }

    @Test
    void withEveryCliFoundThereIsNoMissingList() {
        assertEquals("claude 2.1.197", AgentsViewModel.describe(List.of(found(AgentProfile.CLAUDE, "2.1.197"))));
    }

    @Test
    void aCliNewerThanTheNewestTestedIsMarked() {
        assertEquals("claude 2.1.300 (newer than tested 2.1.197) · codex 0.169.0",
                AgentsViewModel.describe(List.of(found(AgentProfile.CLAUDE, "2.1.300"), found(AgentProfile.CODEX, "0.169.0"))));
    }
}
