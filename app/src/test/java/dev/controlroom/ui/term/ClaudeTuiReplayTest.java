package dev.controlroom.ui.term;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays the raw bytes the real Claude Code TUI printed in a 100×30 PTY (captured by
 * {@code RealCliClaudeTest#theInteractiveTuiAnswersAPromptThroughTheMock}) and checks the screen a
 * person would have seen.
 */
class ClaudeTuiReplayTest {

    private static byte[] capture() throws Exception {
        try (InputStream in = ClaudeTuiReplayTest.class.getResourceAsStream("/agent-samples/claude/tui-answer.ansi")) {
            assertNotNull(in, "the captured TUI sample is missing");
            return in.readAllBytes();
        }
    }

    private static String allText(Terminal t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < t.lineCount(); i++) {
            sb.append(t.lineText(i)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void theScreenShowsTheBannerThePromptTheAnswerAndTheStatusLine() throws Exception {
        Terminal t = new Terminal(100, 30);
        t.feed(capture());
        String text = allText(t);
        assertTrue(t.lineText(0).startsWith("╭─── Claude Code v"), t.lineText(0));
        assertTrue(t.lineText(0).endsWith("╮"), "the box's top edge reaches the last column: " + t.lineText(0));
        assertEquals(100, t.lineText(0).codePointCount(0, t.lineText(0).length()));
        assertTrue(t.lineText(10).startsWith("╰") && t.lineText(10).endsWith("╯"), t.lineText(10));
        assertTrue(text.contains("│                    Welcome back!                   │"), text);
        assertTrue(text.contains("\n❯ Say ping\n"), text);
        assertTrue(text.contains("\n● Pong-from-the-mock\n"), text);
        assertTrue(text.contains("bypass permissions on"), text);
        assertEquals(0, t.historySize(), "the TUI redraws in place: nothing scrolled off");
    }

    @Test
    void anyChunkingOfTheBytesGivesTheSameScreen() throws Exception {
        byte[] bytes = capture();
        Terminal whole = new Terminal(100, 30);
        whole.feed(bytes);
        Random random = new Random(11);
        for (int round = 0; round < 20; round++) {
            Terminal chunked = new Terminal(100, 30);
            int at = 0;
            while (at < bytes.length) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(64));
                chunked.feed(Arrays.copyOfRange(bytes, at, at + n));
                at += n;
            }
            assertEquals(allText(whole), allText(chunked));
            assertEquals(whole.cursorX(), chunked.cursorX());
            assertEquals(whole.cursorY(), chunked.cursorY());
        }
    }
}
