package dev.controlroom.ui.term;

import java.util.Arrays;

/**
 * One row of cells: a code point and a look per cell. A blank cell holds {@link #BLANK}; the right
 * half of a wide character holds {@link #WIDE_TAIL}. Screen lines keep two full arrays; lines in
 * the history are {@link #compact}ed (trailing blanks cut, one byte per cell when every character
 * is Latin-1, the looks as runs), about 150 bytes for a typical 80-character coloured log line, so
 * 10,000 lines of history per terminal stay near a megabyte and a half.
 */
public final class TermLine {
    public static final int BLANK = 0;
    public static final int WIDE_TAIL = -1;

    /** Screen form: one entry per column. Null in the compact Latin-1 form. */
    int[] cps;
    /** Screen form: one look per column. Null in the compact form. */
    long[] attrs;
    /** Compact form: the characters when all are Latin-1. */
    private byte[] latin;
    /** Compact form: look i covers the cells before runEnd[i]. */
    private long[] runAttr;
    private int[] runEnd;
    private int length;
    /** The line continues on the next one (auto-wrapped), so copy and search join them. */
    boolean wrapped;

    TermLine(int width, long attr) {
        cps = new int[width];
        attrs = new long[width];
        length = width;
        if (attr != Attr.PLAIN) {
            Arrays.fill(attrs, attr);
        }
    }

    private TermLine() {
    }

    /** Cells this line stores; cells past it are blank. */
    public int length() {
        return length;
    }

    public int codePoint(int col) {
        if (col >= length || col < 0) {
            return BLANK;
        }
        return latin != null ? latin[col] & 0xFF : cps[col];
    }

    public long attr(int col) {
        if (attrs != null) {
            return col < attrs.length && col >= 0 ? attrs[col] : Attr.PLAIN;
        }
        for (int i = 0; i < runEnd.length; i++) {
            if (col < runEnd[i]) {
                return runAttr[i];
            }
        }
        return Attr.PLAIN;
    }

    public boolean wrapped() {
        return wrapped;
    }

    /** A screen line blanked for reuse: scrolling recycles the line that left the screen. */
    void clear(long attr) {
        Arrays.fill(cps, BLANK);
        Arrays.fill(attrs, attr);
        wrapped = false;
    }

    /** A screen line resized to {@code width} cells, keeping what fits. */
    void resize(int width) {
        cps = Arrays.copyOf(cps, width);
        attrs = Arrays.copyOf(attrs, width);
        length = width;
        if (width > 0 && cps[width - 1] > 0 && CharWidth.of(cps[width - 1]) == 2) {
            cps[width - 1] = BLANK; // its right half was cut off
        }
    }

    /** A copy of this screen line, as small as it can be, for the history. */
    TermLine compact() {
        int end = length;
        while (end > 0 && cps[end - 1] == BLANK && Attr.bg(attrs[end - 1]) == 0 && !Attr.has(attrs[end - 1], Attr.INVERSE)) {
            end--;
        }
        TermLine c = new TermLine();
        c.length = end;
        c.wrapped = wrapped;
        boolean isLatin = true;
        for (int i = 0; i < end; i++) {
            if (cps[i] < 0 || cps[i] > 0xFF) {
                isLatin = false;
                break;
            }
        }
        if (isLatin) {
            c.latin = new byte[end];
            for (int i = 0; i < end; i++) {
                c.latin[i] = (byte) cps[i];
            }
        } else {
            c.cps = Arrays.copyOf(cps, end);
        }
        int runs = 0;
        for (int i = 0; i < end; i++) {
            if (i == 0 || attrs[i] != attrs[i - 1]) {
                runs++;
            }
        }
        c.runAttr = new long[runs];
        c.runEnd = new int[runs];
        int r = -1;
        for (int i = 0; i < end; i++) {
            if (i == 0 || attrs[i] != attrs[i - 1]) {
                r++;
                c.runAttr[r] = attrs[i];
            }
            c.runEnd[r] = i + 1;
        }
        return c;
    }

    /** The characters of the line, trailing blanks cut. */
    public String text() {
        StringBuilder sb = new StringBuilder(length);
        int end = length;
        while (end > 0 && (codePoint(end - 1) == BLANK || codePoint(end - 1) == ' ')) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            int cp = codePoint(i);
            if (cp == WIDE_TAIL) {
                continue;
            }
            sb.appendCodePoint(cp == BLANK ? ' ' : cp);
        }
        return sb.toString();
    }

    /** The column each character of {@link #text()} starts at, for mapping search hits back to cells. */
    public int[] columnsOfText() {
        String t = text();
        int[] cols = new int[t.length() + 1];
        int col = 0;
        int ci = 0;
        for (int i = 0; i < length && ci < t.length(); i++) {
            int cp = codePoint(i);
            if (cp == WIDE_TAIL) {
                continue;
            }
            int n = Character.charCount(cp == BLANK ? ' ' : cp);
            for (int k = 0; k < n && ci < t.length(); k++) {
                cols[ci++] = i;
            }
            col = i + 1;
        }
        cols[t.length()] = col;
        return cols;
    }
}
