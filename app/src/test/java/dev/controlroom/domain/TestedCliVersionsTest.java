package dev.controlroom.domain;

import dev.controlroom.testsupport.AgentClis;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestedCliVersionsTest {
    @Test
    void theNewestTestedAreTheVersionsTheRealCliTestsPin() {
        assertEquals(Optional.of(AgentClis.CLAUDE_CODE_VERSION), TestedCliVersions.newest(AgentProfile.CLAUDE));
        assertEquals(Optional.of(AgentClis.CODEX_VERSION), TestedCliVersions.newest(AgentProfile.CODEX));
    }

    @Test
    void onlyANewerVersionIsWarnedAboutComparedNumberByNumber() {
        assertTrue(TestedCliVersions.warning(AgentProfile.CLAUDE, "claude", "2.1.1970").isPresent());
        assertTrue(TestedCliVersions.warning(AgentProfile.CODEX, "codex", "0.170.0").isPresent());
        assertTrue(TestedCliVersions.warning(AgentProfile.CODEX, "codex", "1.0").isPresent());
        assertEquals(Optional.empty(), TestedCliVersions.warning(AgentProfile.CLAUDE, "claude", "2.1.197"));
        assertEquals(Optional.empty(), TestedCliVersions.warning(AgentProfile.CLAUDE, "claude", "2.1.98"));
        assertEquals(Optional.empty(), TestedCliVersions.warning(AgentProfile.CODEX, "codex", "0.169.0-alpha.3"));
        assertEquals(Optional.empty(), TestedCliVersions.warning(AgentProfile.GEMINI, "gemini", "99.0.0"), "no tested version yet: no warning");
    }
}
