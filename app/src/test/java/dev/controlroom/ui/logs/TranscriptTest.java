package dev.controlroom.ui.logs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TranscriptTest {
    private static byte[] sample(String path) throws IOException {
        try (InputStream in = TranscriptTest.class.getResourceAsStream("/extract/" + path)) {
            // As a PTY prints it: CR LF line ends.
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String plain(byte[] shown) {
        return new String(shown, StandardCharsets.UTF_8).replaceAll("\u001b\\[[0-9;]*m", "");
    }

    @Test
    void aClaudeStreamReadsAsTheAssistantsWordsWithEachToolCallAndHowTheTurnEnded() throws IOException {
        Transcript transcript = new Transcript("claude");
        byte[] bytes = sample("claude/success-write.jsonl");

        String shown = plain(transcript.feed(0, bytes)) + plain(transcript.end());

        assertTrue(transcript.isStream());
        assertFalse(shown.contains("{\""), "no raw JSON left:\n" + shown);
        assertTrue(shown.contains("→ Write("), shown);
        assertTrue(shown.contains("● "), shown);
        assertTrue(shown.contains("✔ turn done"), shown);
        assertTrue(shown.lines().allMatch(l -> l.length() <= 400), shown);
        assertTrue(shown.lines().filter(l -> l.contains("Write(")).allMatch(l -> !l.contains("Write(/")),
                "paths in the agent's directory are shown relative to it:\n" + shown);
    }

    @Test
    void aCodexStreamIsReadTooAndAFailedTurnSaysSo() throws IOException {
        Transcript transcript = new Transcript("codex");

        String shown = plain(transcript.feed(0, sample("codex/turn-failed.jsonl"))) + plain(transcript.end());

        assertTrue(transcript.isStream());
        assertTrue(shown.contains("✘ turn failed") || shown.contains("error: "), shown);
    }

    @Test
    void outputThatIsNotAJsonStreamPassesThroughByteForByte() {
        Transcript transcript = new Transcript("claude");
        byte[] tui = "\u001b[2J\u001b[H╭──────╮\r\n│ hi   │\r\n".getBytes(StandardCharsets.UTF_8);

        assertArrayEquals(tui, transcript.feed(0, tui));
        assertFalse(transcript.isStream());
        byte[] more = "\u001b[1A\u001b[2Kprompt> ".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(more, transcript.feed(tui.length, more));
    }

    @Test
    void aShellSessionIsNeverReadAsAStreamEvenWhenItPrintsJson() {
        Transcript transcript = new Transcript("shell");
        byte[] json = "{\"type\":\"result\"}\r\n".getBytes(StandardCharsets.UTF_8);

        assertArrayEquals(json, transcript.feed(0, json));
        assertFalse(transcript.isStream());
    }

    @Test
    void liveOutputRepeatingTheStoredTailIsNotShownTwiceAndLinesSplitAcrossChunksAreJoined() throws IOException {
        byte[] bytes = sample("claude/success-write.jsonl");
        String whole = plain(new Transcript("claude").feed(0, bytes));
        Transcript transcript = new Transcript("claude");
        int cut = bytes.length / 2;
        byte[] first = java.util.Arrays.copyOfRange(bytes, 0, cut);
        // The live feed starts a little before where the stored tail ended.
        byte[] again = java.util.Arrays.copyOfRange(bytes, cut - 40, bytes.length);

        String shown = plain(transcript.feed(0, first)) + plain(transcript.feed(cut - 40, again));

        assertEquals(whole, shown);
    }

    @Test
    void aTailThatStartsMidLineSkipsThePartialLine() throws IOException {
        byte[] bytes = sample("claude/success-write.jsonl");
        int firstLineEnd = new String(bytes, StandardCharsets.UTF_8).indexOf('\n') + 1;
        Transcript transcript = new Transcript("claude", "/work/wt/task-7");

        String shown = plain(transcript.feed(5, java.util.Arrays.copyOfRange(bytes, 5, bytes.length)));

        assertTrue(transcript.isStream());
        assertFalse(shown.contains("{\""), shown);
        assertEquals(plain(new Transcript("claude").feed(0, bytes)).lines().filter(l -> !l.startsWith("● session")).toList(),
                shown.lines().filter(l -> !l.startsWith("● session")).toList(), "from byte " + firstLineEnd + " on, the same");
    }
}
