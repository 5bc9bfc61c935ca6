package dev.controlroom.ui.term;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalTest {

    private static String row(Terminal t, int r) {
        return t.line(t.historySize() + r).text();
    }

    @Test
    void plainLinesWithCrLfFillRowsAndScrollIntoHistory() {
        Terminal t = new Terminal(20, 3);
        t.feed("one\r\ntwo\r\nthree\r\nfour\r\n");
        assertEquals(2, t.historySize());
        assertEquals("one", t.lineText(0));
        assertEquals("two", t.lineText(1));
        assertEquals("three", row(t, 0));
        assertEquals("four", row(t, 1));
        assertEquals("", row(t, 2));
        assertEquals(2, t.scrolledOff());
    }

    @Test
    void progressBarOverwrittenWithCarriageReturnKeepsOnlyTheLastState() {
        Terminal t = new Terminal(40, 4);
        for (int i = 0; i <= 10; i++) {
            t.feed("\r[" + "#".repeat(i) + " ".repeat(10 - i) + "] " + (i * 10) + "%");
        }
        t.feed("\r\ndone\r\n");
        assertEquals("[##########] 100%", row(t, 0));
        assertEquals("done", row(t, 1));
        assertEquals(0, t.historySize());
    }

    @Test
    void spinnerRedrawnWithCursorUpAndEraseLineStaysOnOneLine() {
        Terminal t = new Terminal(40, 5);
        t.feed("Building\r\n");
        String[] frames = {"⠋", "⠙", "⠹", "⠸"};
        t.feed(frames[0] + " compiling\r\n");
        for (int i = 1; i < 40; i++) {
            t.feed("\u001b[1A\u001b[2K\r" + frames[i % 4] + " compiling " + i + "\r\n");
        }
        t.feed("\u001b[1A\u001b[2K\rcompiled\r\n");
        assertEquals("Building", row(t, 0));
        assertEquals("compiled", row(t, 1));
        assertEquals("", row(t, 2));
        assertEquals(0, t.historySize());
    }

    @Test
    void cursorDrawnBoxLandsInTheRightCells() {
        Terminal t = new Terminal(20, 6);
        t.feed("\u001b[2J\u001b[H");
        t.feed("\u001b[2;3H┌──────┐");
        t.feed("\u001b[3;3H│\u001b[3;10H│");
        t.feed("\u001b[4;3H└──────┘");
        t.feed("\u001b[3;5Hhi!");
        assertEquals("", row(t, 0));
        assertEquals("  ┌──────┐", row(t, 1));
        assertEquals("  │ hi!  │", row(t, 2));
        assertEquals("  └──────┘", row(t, 3));
        assertEquals(7, t.cursorX());
        assertEquals(2, t.cursorY());
    }

    @Test
    void decSpecialGraphicsDrawsLineCharacters() {
        Terminal t = new Terminal(10, 2);
        t.feed("\u001b(0lqqk\u001b(B ok");
        assertEquals("┌──┐ ok", row(t, 0));
    }

    @Test
    void alternateScreenIsLeftWithTheMainScreenAndItsHistoryIntact() {
        Terminal t = new Terminal(20, 3);
        t.feed("a\r\nb\r\nc\r\nd\r\nprompt$ ");
        assertEquals(2, t.historySize());
        t.feed("\u001b[?1049h\u001b[H\u001b[2Jfull screen app\u001b[3;1Hstatus");
        assertTrue(t.altScreen());
        assertEquals(0, t.historySize());
        assertEquals("full screen app", row(t, 0));
        assertEquals("status", row(t, 2));
        t.feed("\u001b[?1049l");
        assertFalse(t.altScreen());
        assertEquals(2, t.historySize());
        assertEquals("a", t.lineText(0));
        assertEquals("prompt$", row(t, 2));
        assertEquals(8, t.cursorX());
        assertEquals(2, t.cursorY());
    }

    @Test
    void mode47SwitchesWithoutClearing() {
        Terminal t = new Terminal(10, 2);
        t.feed("\u001b[?47hX\u001b[?47lmain\u001b[?47h");
        assertEquals("X", row(t, 0));
    }

    @Test
    void sgrColourRunsAreKeptPerCell() {
        Terminal t = new Terminal(40, 2);
        t.feed("\u001b[1;31mred\u001b[0m \u001b[38;5;208morange\u001b[39m \u001b[38;2;10;20;30;48;5;4mrgb\u001b[m \u001b[7minv\u001b[27m \u001b[92mhi\u001b[0m");
        TermLine l = t.line(0);
        assertEquals("red orange rgb inv hi", l.text());
        assertEquals(Attr.indexed(1), Attr.fg(l.attr(0)));
        assertTrue(Attr.has(l.attr(0), Attr.BOLD));
        assertEquals(Attr.PLAIN, l.attr(3));
        assertEquals(Attr.indexed(208), Attr.fg(l.attr(4)));
        assertFalse(Attr.has(l.attr(4), Attr.BOLD));
        assertEquals(Attr.rgb(10, 20, 30), Attr.fg(l.attr(11)));
        assertEquals(Attr.indexed(4), Attr.bg(l.attr(11)));
        assertTrue(Attr.has(l.attr(15), Attr.INVERSE));
        assertFalse(Attr.has(l.attr(18), Attr.INVERSE));
        assertEquals(Attr.indexed(10), Attr.fg(l.attr(19)));
    }

    @Test
    void colonFormTruecolorIsUnderstood() {
        Terminal t = new Terminal(10, 1);
        t.feed("\u001b[38:2::1:2:3mx\u001b[48:5:9my");
        assertEquals(Attr.rgb(1, 2, 3), Attr.fg(t.line(0).attr(0)));
        assertEquals(Attr.indexed(9), Attr.bg(t.line(0).attr(1)));
    }

    @Test
    void wideCharactersTakeTwoCellsAndWrapWhenTheyDoNotFit() {
        Terminal t = new Terminal(7, 3);
        t.feed("日本語x😀");
        TermLine l = t.line(0);
        assertEquals('日', l.codePoint(0));
        assertEquals(TermLine.WIDE_TAIL, l.codePoint(1));
        assertEquals('x', l.codePoint(6));
        assertTrue(l.wrapped());
        assertEquals("日本語x", l.text());
        assertEquals("😀", t.line(1).text());
        assertEquals(2, t.cursorX());
    }

    @Test
    void overwritingHalfAWideCharacterClearsTheOtherHalf() {
        Terminal t = new Terminal(10, 1);
        t.feed("日本\u001b[2Gx");
        assertEquals(" x本", t.line(0).text());
    }

    @Test
    void pendingWrapHoldsTheCursorOnTheLastColumnUntilTheNextCharacter() {
        Terminal t = new Terminal(5, 3);
        t.feed("abcde");
        assertEquals(4, t.cursorX());
        assertEquals(0, t.cursorY());
        t.feed("\r\n");
        assertEquals("abcde", row(t, 0));
        assertEquals(1, t.cursorY());
        assertEquals("", row(t, 1));
        t.feed("vwxyz!");
        assertEquals("vwxyz", row(t, 1));
        assertEquals("!", row(t, 2));
    }

    @Test
    void chunksSplitInsideUtf8AndInsideEscapesGiveTheSameScreen() {
        byte[] all = "é漢\u001b[31;1mred\u001b[0m 😀 \u001b]0;title\u0007end\u001b[2;3Hxy".getBytes(StandardCharsets.UTF_8);
        Terminal whole = new Terminal(20, 3);
        whole.feed(all);
        Terminal bytewise = new Terminal(20, 3);
        for (byte b : all) {
            bytewise.feed(new byte[]{b});
        }
        assertEquals(whole.screenText(), bytewise.screenText());
        assertEquals("é漢red 😀 end", row(bytewise, 0));
        assertEquals("  xy", row(bytewise, 1));
        assertEquals("title", bytewise.title());
        assertEquals(Attr.indexed(1), Attr.fg(bytewise.line(0).attr(3)));
    }

    @Test
    void garbageNeverThrowsAndTextAfterItShows() {
        Terminal t = new Terminal(30, 5);
        java.util.Random random = new java.util.Random(7);
        byte[] junk = new byte[200_000];
        random.nextBytes(junk);
        t.feed(junk);
        t.feed("\u001b[0m\u001b[?1049l\u001b[r\u001b(B\u001bc");
        t.feed("\u001b[999;999H\u001b[99999999999999A\u001b[;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;m\u001bP+q\u001b\\\u001b[Hok");
        assertEquals("ok", row(t, 0));
    }

    @Test
    void eraseModesClearTheRightParts() {
        Terminal t = new Terminal(6, 3);
        t.feed("aaaaaa\r\nbbbbbb\r\ncccccc");
        t.feed("\u001b[2;3H\u001b[1K");
        assertEquals("   bbb", row(t, 1));
        t.feed("\u001b[2;5H\u001b[0K");
        assertEquals("   b", row(t, 1));
        t.feed("\u001b[2;2H\u001b[0J");
        assertEquals("aaaaaa", row(t, 0));
        assertEquals("", row(t, 1));
        assertEquals("", row(t, 2));
        t.feed("\u001b[1;3H\u001b[1J");
        assertEquals("   aaa", row(t, 0));
        t.feed("\u001b[2J");
        assertEquals("\n\n\n", t.screenText());
    }

    @Test
    void insertAndDeleteCharactersAndLinesShiftTheRest() {
        Terminal t = new Terminal(8, 4);
        t.feed("abcdef\r\nline2\r\nline3\r\nline4");
        t.feed("\u001b[1;3H\u001b[2@");
        assertEquals("ab  cdef", row(t, 0));
        t.feed("\u001b[1;3H\u001b[3P");
        assertEquals("abdef", row(t, 0));
        t.feed("\u001b[1;2H\u001b[2X");
        assertEquals("a  ef", row(t, 0));
        t.feed("\u001b[2;1H\u001b[L");
        assertEquals("", row(t, 1));
        assertEquals("line2", row(t, 2));
        assertEquals("line3", row(t, 3));
        t.feed("\u001b[2;1H\u001b[2M");
        assertEquals("line3", row(t, 1));
        assertEquals("", row(t, 3));
    }

    @Test
    void scrollRegionKeepsHeaderAndFooterWhileTheMiddleScrolls() {
        Terminal t = new Terminal(10, 5);
        t.feed("\u001b[1;1Hheader\u001b[5;1Hfooter\u001b[2;4r\u001b[2;1H");
        for (int i = 1; i <= 6; i++) {
            t.feed("l" + i + (i < 6 ? "\r\n" : ""));
        }
        assertEquals("header", row(t, 0));
        assertEquals("l4", row(t, 1));
        assertEquals("l5", row(t, 2));
        assertEquals("l6", row(t, 3));
        assertEquals("footer", row(t, 4));
        assertEquals(0, t.historySize(), "a region below the top does not feed the history");
        t.feed("\u001b[S");
        assertEquals("l5", row(t, 1));
        t.feed("\u001b[2T");
        assertEquals("", row(t, 1));
        assertEquals("l5", row(t, 3));
        t.feed("\u001b[2;1H\u001bM");
        assertEquals("", row(t, 1));
    }

    @Test
    void savedCursorIsRestoredWithItsColours() {
        Terminal t = new Terminal(20, 3);
        t.feed("\u001b[2;5H\u001b[32m\u001b7\u001b[0m\u001b[1;1Hxx\u001b8y");
        assertEquals("    y", row(t, 1));
        assertEquals(Attr.indexed(2), Attr.fg(t.line(1).attr(4)));
        t.feed("\u001b[3;2H\u001b[s\u001b[1;1H\u001b[uz");
        assertEquals(" z", row(t, 2));
    }

    @Test
    void cursorMovesClampAtTheEdges() {
        Terminal t = new Terminal(10, 5);
        t.feed("\u001b[3;4H");
        t.feed("\u001b[2A");
        assertEquals(0, t.cursorY());
        t.feed("\u001b[9B");
        assertEquals(4, t.cursorY());
        t.feed("\u001b[20C");
        assertEquals(9, t.cursorX());
        t.feed("\u001b[3D");
        assertEquals(6, t.cursorX());
        t.feed("\u001b[2F");
        assertEquals(0, t.cursorX());
        assertEquals(2, t.cursorY());
        t.feed("\u001b[E");
        assertEquals(3, t.cursorY());
        t.feed("\u001b[5G");
        assertEquals(4, t.cursorX());
        t.feed("\u001b[2d");
        assertEquals(1, t.cursorY());
        assertEquals(4, t.cursorX());
        t.feed("\u001b[4;6f");
        assertEquals(3, t.cursorY());
        assertEquals(5, t.cursorX());
        t.feed("\tX");
        assertEquals('X', t.line(3).codePoint(8));
        t.feed("\bY");
        assertEquals('Y', t.line(3).codePoint(8));
    }

    @Test
    void modesAreTrackedWithoutDrawingAnything() {
        Terminal t = new Terminal(10, 2);
        t.feed("\u001b[?25l\u001b[?2004h\u001b[?1000h\u001b[?1006h\u001b[?1h");
        assertFalse(t.cursorVisible());
        assertTrue(t.bracketedPaste());
        assertTrue(t.appCursorKeys());
        assertEquals(1000, t.mouseMode());
        assertEquals("\n\n", t.screenText());
        t.feed("\u001b[?25h\u001b[?2004l");
        assertTrue(t.cursorVisible());
        assertFalse(t.bracketedPaste());
    }

    @Test
    void historyIsBoundedAndKeepsTheNewestLines() {
        Terminal t = new Terminal(20, 2, 100);
        for (int i = 0; i < 1000; i++) {
            t.feed("line " + i + "\r\n");
        }
        assertEquals(100, t.historySize());
        assertEquals("line 899", t.lineText(0));
        assertEquals("line 998", t.lineText(99));
        assertEquals(999, t.scrolledOff());
    }

    @Test
    void resizeKeepsTheContentAndTheCursorLine() {
        Terminal t = new Terminal(10, 4);
        t.feed("a\r\nb\r\nc\r\nprompt");
        t.resize(10, 2);
        assertEquals("c", row(t, 0));
        assertEquals("prompt", row(t, 1));
        assertEquals(1, t.cursorY());
        assertEquals(2, t.historySize());
        t.resize(12, 5);
        assertEquals("c", row(t, 0));
        assertEquals("prompt", row(t, 1));
        t.feed("!");
        assertEquals("prompt!", row(t, 1));
    }

    @Test
    void eraseUsesTheCurrentBackground() {
        Terminal t = new Terminal(4, 1);
        t.feed("\u001b[44m\u001b[2K");
        assertEquals(Attr.indexed(4), Attr.bg(t.line(0).attr(3)));
    }

    @Test
    void repeatPrintsTheLastCharacterAgain() {
        Terminal t = new Terminal(10, 1);
        t.feed("-\u001b[4b");
        assertEquals("-----", row(t, 0));
    }
}
