package dev.controlroom.testsupport;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CI install script and the tests' own install stay on the same versions. */
class AgentClisTest {
    @Test
    void installScriptPinsTheVersionsTheTestsExpect() throws IOException {
        String script = resource("/install-agent-clis.sh");

        assertEquals(AgentClis.CLAUDE_CODE_VERSION, assignment(script, "CLAUDE_CODE_VERSION"));
        assertEquals(AgentClis.CODEX_VERSION, assignment(script, "CODEX_VERSION"));
        assertEquals(AgentClis.GEMINI_CLI_VERSION, assignment(script, "GEMINI_CLI_VERSION"));
        assertEquals(AgentClis.OPENCODE_VERSION, assignment(script, "OPENCODE_VERSION"));
        assertEquals(AgentClis.QWEN_CODE_VERSION, assignment(script, "QWEN_CODE_VERSION"));
        assertTrue(script.contains(".cache/control-room-test/npm"), "the script installs where AgentClis looks");
    }

    private static String assignment(String script, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "=(\\S+)$").matcher(script);
        assertTrue(matcher.find(), "no " + name + "= line in the script");
        return matcher.group(1);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AgentClisTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
