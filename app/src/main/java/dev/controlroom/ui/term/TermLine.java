package dev.controlroom.ui.term;

import java.util.Arrays;

/**
 * One row of cells: a code point and a look per cell. A blank cell holds {@link #BLANK}; the right
 * half of a wide character holds {@link #WIDE_TAIL}. Lines in the scrollback are {@link #compact}ed
 * (trailing blanks cut, one look for the whole line when it has one), which keeps 10,000 lines of
 * history per terminal at a few megabytes.
 */
public final class TermLine {
    public static final int BLANK = 0;
    public static final int WIDE_TAIL = -1;

    int[] cps;
    long[] attrs;
    /** The line continues on the next one (auto-wrapped), so copy and search join them. */
    boolean wrapped;

    TermLine(int width, long attr) {
        cps = new int[width];
        attrs = new long[width];
        if (attr != Attr.PLAIN) {
            Arrays.fill(attrs, attr);
        }
    }

    private TermLine(int[] cps, long[] attrs, boolean wrapped) {
        this.cps = cps;
        this.attrs = attrs;
        this.wrapped = wrapped;
    }

    /** Cells this line stores; cells past it are blank. */
    public int length() {
        return cps.length;
    }

    public int codePoint(int col) {
        return col < cps.length ? cps[col] : BLANK;
    }

    public long attr(int col) {
        if (attrs.length == 1 && cps.length != 1) {
            return attrs[0];
        }
        return col < attrs.length ? attrs[col] : Attr.PLAIN;
    }

    public boolean wrapped() {
        return wrapped;
    }

    /** A screen line resized to {@code width} cells, keeping what fits. */
    void resize(int width) {
        if (attrs.length != cps.length) {
            long a = attrs[0];
            attrs = new long[cps.length];
            Arrays.fill(attrs, a);
        }
        cps = Arrays.copyOf(cps, width);
        attrs = Arrays.copyOf(attrs, width);
        if (width > 0 && cps[width - 1] > 0 && CharWidth.of(cps[width - 1]) == 2) {
            cps[width - 1] = BLANK; // its right half was cut off
        }
    }

    /** The same line, as small as it can be, for the scrollback. */
    TermLine compact() {
        int end = cps.length;
        while (end > 0 && cps[end - 1] == BLANK && Attr.bg(attrs[end - 1]) == 0 && !Attr.has(attrs[end - 1], Attr.INVERSE)) {
            end--;
        }
        int[] c = Arrays.copyOf(cps, end);
        boolean uniform = true;
        for (int i = 1; i < end; i++) {
            if (attrs[i] != attrs[0]) {
                uniform = false;
                break;
            }
        }
        long[] a = end == 0 ? new long[]{Attr.PLAIN} : uniform ? new long[]{attrs[0]} : Arrays.copyOf(attrs, end);
        if (end == 1) {
            a = new long[]{attrs[0]};
        }
        return new TermLine(c, a, wrapped);
    }

    /** The characters of the line, trailing blanks cut. */
    public String text() {
        StringBuilder sb = new StringBuilder(cps.length);
        int end = cps.length;
        while (end > 0 && (cps[end - 1] == BLANK || cps[end - 1] == ' ')) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            int cp = cps[i];
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
        for (int i = 0; i < cps.length && ci < t.length(); i++) {
            int cp = cps[i];
            if (cp == WIDE_TAIL) {
                continue;
            }
            int n = Character.charCount(cp == BLANK ? ' ' : cp);
            for (int k = 0; k < n && ci < t.length(); k++) {
                cols[ci++] = i;
            }
            col = i + 1;
        }
        cols[t.length()] = Math.max(col, 0);
        return cols;
    }
}
