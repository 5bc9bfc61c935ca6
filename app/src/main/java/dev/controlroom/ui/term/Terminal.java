package dev.controlroom.ui.term;

import java.util.Arrays;

/**
 * A terminal's state fed the raw bytes a program writes to its PTY: a VT/xterm parser (UTF-8
 * across chunk edges, C0 controls, ESC, CSI, OSC and DCS strings), the main and alternate screen,
 * the cursor, scroll regions, colours and a bounded scrollback. What it does not draw it parses
 * and ignores; no input makes it throw. Not thread-safe: one thread feeds it and reads it.
 */
public final class Terminal {
    public static final int DEFAULT_SCROLLBACK = 10_000;
    private static final int MAX_PARAMS = 32;
    private static final int MAX_OSC = 4096;

    private enum State { GROUND, ESC, ESC_INTER, CSI, OSC, STRING, OSC_ESC, STRING_ESC }

    private int cols;
    private int rows;
    private final int scrollbackLimit;

    private TermLine[] main;
    private TermLine[] alt;
    private TermLine[] screen;
    private final Ring history;
    private long scrolledOff;
    private long version;
    private long bells;

    // cursor and modes
    private int x;
    private int y;
    private boolean pendingWrap;
    private long attr = Attr.PLAIN;
    private int top;
    private int bottom;
    private boolean autoWrap = true;
    private boolean originMode;
    private boolean insertMode;
    private boolean cursorVisible = true;
    private boolean appCursorKeys;
    private boolean bracketedPaste;
    private int mouseMode;
    private boolean altActive;
    private boolean[] tabStops;
    private boolean g0Graphics;
    private boolean g1Graphics;
    private boolean shiftOut;
    private int lastPrinted = -1;
    private Saved savedMain = new Saved();
    private Saved savedAlt = new Saved();

    // parser
    private State state = State.GROUND;
    private int utf8Need;
    private int utf8Cp;
    private int utf8Min;
    private final int[] params = new int[MAX_PARAMS];
    private final boolean[] sub = new boolean[MAX_PARAMS];
    private int paramCount;
    private boolean paramStarted;
    private char privateMarker;
    private char intermediate;
    private final StringBuilder osc = new StringBuilder();
    private String title = "";

    private static final class Saved {
        int x;
        int y;
        long attr;
        boolean pendingWrap;
        boolean originMode;
        boolean g0Graphics;
    }

    public Terminal(int cols, int rows) {
        this(cols, rows, DEFAULT_SCROLLBACK);
    }

    public Terminal(int cols, int rows, int scrollbackLimit) {
        this.cols = Math.max(1, cols);
        this.rows = Math.max(1, rows);
        this.scrollbackLimit = Math.max(0, scrollbackLimit);
        this.history = new Ring(Math.max(1, scrollbackLimit));
        main = blankScreen(this.cols, this.rows);
        alt = blankScreen(this.cols, this.rows);
        screen = main;
        top = 0;
        bottom = this.rows - 1;
        tabStops = defaultTabs(this.cols);
    }

    // ------------------------------------------------------------------------------ reading

    public int cols() {
        return cols;
    }

    public int rows() {
        return rows;
    }

    /** Lines above the screen the view can scroll to (none while a full-screen program has the alternate screen). */
    public int historySize() {
        return altActive ? 0 : history.size();
    }

    /** History plus screen lines. */
    public int lineCount() {
        return historySize() + rows;
    }

    /** Line {@code index} of {@link #lineCount()}: the oldest history line is 0, the screen's top is {@link #historySize()}. */
    public TermLine line(int index) {
        int h = historySize();
        return index < h ? history.get(index) : screen[index - h];
    }

    public String lineText(int index) {
        return line(index).text();
    }

    /** How many lines ever scrolled off into the history (grows forever; a view uses it to stay put while output arrives). */
    public long scrolledOff() {
        return scrolledOff;
    }

    /** Changes with every fed byte that changed something: a view redraws only when it moved. */
    public long version() {
        return version;
    }

    public int cursorX() {
        return x;
    }

    public int cursorY() {
        return y;
    }

    public boolean cursorVisible() {
        return cursorVisible;
    }

    public boolean altScreen() {
        return altActive;
    }

    /** DECCKM: arrows send ESC O A instead of ESC [ A. */
    public boolean appCursorKeys() {
        return appCursorKeys;
    }

    public boolean bracketedPaste() {
        return bracketedPaste;
    }

    public int mouseMode() {
        return mouseMode;
    }

    public String title() {
        return title;
    }

    public long bells() {
        return bells;
    }

    public int scrollbackLimit() {
        return scrollbackLimit;
    }

    /** The screen as text, one line per row, trailing blanks cut (tests, copy-all). */
    public String screenText() {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            sb.append(screen[r].text()).append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------ feeding

    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    public void feed(byte[] bytes, int off, int len) {
        version++;
        for (int i = off; i < off + len; i++) {
            int b = bytes[i] & 0xFF;
            if (utf8Need > 0) {
                if ((b & 0xC0) == 0x80) {
                    utf8Cp = (utf8Cp << 6) | (b & 0x3F);
                    if (--utf8Need == 0) {
                        int cp = utf8Cp;
                        if (cp < utf8Min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                            cp = 0xFFFD;
                        }
                        codePoint(cp);
                    }
                    continue;
                }
                utf8Need = 0;
                codePoint(0xFFFD); // a sequence cut short; the byte is read afresh
            }
            if (b >= 0x20 && b < 0x7F && state == State.GROUND) {
                print(b); // the common case, plain text, skips the state machine
            } else if (b < 0x80) {
                codePoint(b);
            } else if ((b & 0xE0) == 0xC0) {
                utf8Need = 1;
                utf8Cp = b & 0x1F;
                utf8Min = 0x80;
            } else if ((b & 0xF0) == 0xE0) {
                utf8Need = 2;
                utf8Cp = b & 0x0F;
                utf8Min = 0x800;
            } else if ((b & 0xF8) == 0xF0) {
                utf8Need = 3;
                utf8Cp = b & 0x07;
                utf8Min = 0x10000;
            } else {
                codePoint(0xFFFD);
            }
        }
    }

    public void feed(String text) {
        feed(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void codePoint(int cp) {
        // Controls act in every state except inside strings, as in a real VT.
        if (cp == 0x1B) {
            switch (state) {
                case OSC -> state = State.OSC_ESC;
                case STRING -> state = State.STRING_ESC;
                default -> {
                    state = State.ESC;
                    intermediate = 0;
                }
            }
            return;
        }
        if (cp == 0x18 || cp == 0x1A) { // CAN, SUB abort a sequence
            state = State.GROUND;
            return;
        }
        switch (state) {
            case GROUND -> ground(cp);
            case ESC -> escape(cp);
            case ESC_INTER -> escapeIntermediate(cp);
            case CSI -> csi(cp);
            case OSC -> {
                if (cp == 0x07) {
                    oscEnd();
                } else if (osc.length() < MAX_OSC) {
                    osc.appendCodePoint(cp);
                }
            }
            case OSC_ESC -> {
                oscEnd();
                if (cp != '\\') {
                    state = State.ESC;
                    escape(cp);
                }
            }
            case STRING -> {
                if (cp == 0x07) {
                    state = State.GROUND;
                }
            }
            case STRING_ESC -> {
                state = State.GROUND;
                if (cp != '\\') {
                    state = State.ESC;
                    escape(cp);
                }
            }
        }
    }

    private void ground(int cp) {
        if (cp < 0x20 || cp == 0x7F) {
            control(cp);
        } else if (cp >= 0x80 && cp < 0xA0) {
            // C1 controls are not used by the programs we show; treat as nothing.
        } else {
            print(cp);
        }
    }

    private void control(int cp) {
        switch (cp) {
            case 0x07 -> bells++;
            case 0x08 -> {
                x = Math.max(0, x - 1);
                pendingWrap = false;
            }
            case 0x09 -> tab(1);
            case 0x0A, 0x0B, 0x0C -> index();
            case 0x0D -> {
                x = 0;
                pendingWrap = false;
            }
            case 0x0E -> shiftOut = true;
            case 0x0F -> shiftOut = false;
            default -> { }
        }
    }

    private void escape(int cp) {
        state = State.GROUND;
        switch (cp) {
            case '[' -> {
                state = State.CSI;
                paramCount = 0;
                paramStarted = false;
                privateMarker = 0;
                intermediate = 0;
                Arrays.fill(params, 0);
                Arrays.fill(sub, false);
            }
            case ']' -> {
                state = State.OSC;
                osc.setLength(0);
            }
            case 'P', 'X', '^', '_' -> state = State.STRING;
            case '(', ')', '*', '+', '#', '%', ' ' -> {
                intermediate = (char) cp;
                state = State.ESC_INTER;
            }
            case '7' -> saveCursor();
            case '8' -> restoreCursor();
            case 'D' -> index();
            case 'E' -> {
                x = 0;
                index();
            }
            case 'M' -> reverseIndex();
            case 'H' -> {
                if (x < cols) {
                    tabStops[x] = true;
                }
            }
            case 'c' -> reset();
            default -> { } // keypad modes and the rest: nothing to draw
        }
    }

    private void escapeIntermediate(int cp) {
        state = State.GROUND;
        if (intermediate == '(') {
            g0Graphics = cp == '0';
        } else if (intermediate == ')') {
            g1Graphics = cp == '0';
        } else if (intermediate == '#' && cp == '8') {
            // DECALN: fill the screen with E (a test pattern)
            for (TermLine l : screen) {
                Arrays.fill(l.cps, 'E');
                Arrays.fill(l.attrs, Attr.PLAIN);
            }
        }
    }

    private void csi(int cp) {
        if (cp >= '0' && cp <= '9') {
            if (paramCount == 0) {
                paramCount = 1;
            }
            int i = paramCount - 1;
            if (i < MAX_PARAMS) {
                params[i] = Math.min(65535, params[i] * 10 + (cp - '0'));
            }
            paramStarted = true;
        } else if (cp == ';' || cp == ':') {
            if (paramCount == 0) {
                paramCount = 1;
            }
            if (paramCount < MAX_PARAMS) {
                sub[paramCount] = cp == ':';
                paramCount++;
            }
        } else if (cp == '?' || cp == '>' || cp == '<' || cp == '=') {
            if (!paramStarted && paramCount == 0) {
                privateMarker = (char) cp;
            }
        } else if (cp >= 0x20 && cp <= 0x2F) {
            intermediate = (char) cp;
        } else if (cp >= 0x40 && cp <= 0x7E) {
            state = State.GROUND;
            dispatchCsi((char) cp);
        } else if (cp < 0x20) {
            control(cp);
        } else {
            state = State.GROUND; // garbage ends the sequence
        }
    }

    private int param(int i, int def) {
        return i < paramCount && params[i] != 0 ? params[i] : def;
    }

    private void dispatchCsi(char f) {
        if (intermediate != 0) {
            return; // DECSCUSR, DECSTR and friends: nothing we draw
        }
        if (privateMarker == '?') {
            if (f == 'h' || f == 'l') {
                for (int i = 0; i < Math.max(1, paramCount); i++) {
                    privateMode(params[i], f == 'h');
                }
            }
            return;
        }
        if (privateMarker != 0) {
            return;
        }
        int n = param(0, 1);
        switch (f) {
            case '@' -> insertChars(n);
            case 'A' -> moveTo(x, Math.max(y - n, y >= top ? top : 0));
            case 'B', 'e' -> moveTo(x, Math.min(y + n, y <= bottom ? bottom : rows - 1));
            case 'C', 'a' -> moveTo(Math.min(cols - 1, x + n), y);
            case 'D' -> moveTo(Math.max(0, Math.min(x, cols - 1) - n), y);
            case 'E' -> moveTo(0, Math.min(y + n, y <= bottom ? bottom : rows - 1));
            case 'F' -> moveTo(0, Math.max(y - n, y >= top ? top : 0));
            case 'G', '`' -> moveTo(Math.min(cols, n) - 1, y);
            case 'H', 'f' -> cup(param(0, 1), param(1, 1));
            case 'd' -> cup(param(0, 1), x + 1, true);
            case 'I' -> tab(n);
            case 'Z' -> backTab(n);
            case 'J' -> eraseDisplay(paramCount == 0 ? 0 : params[0]);
            case 'K' -> eraseLine(paramCount == 0 ? 0 : params[0]);
            case 'L' -> insertLines(n);
            case 'M' -> deleteLines(n);
            case 'P' -> deleteChars(n);
            case 'X' -> eraseChars(n);
            case 'S' -> scrollUp(top, bottom, n);
            case 'T' -> scrollDown(top, bottom, n);
            case 'b' -> {
                if (lastPrinted >= 0) {
                    for (int i = 0; i < Math.min(n, cols * rows); i++) {
                        print(lastPrinted);
                    }
                }
            }
            case 'g' -> {
                int m = paramCount == 0 ? 0 : params[0];
                if (m == 0 && x < cols) {
                    tabStops[x] = false;
                } else if (m == 3) {
                    Arrays.fill(tabStops, false);
                }
            }
            case 'm' -> sgr();
            case 'r' -> {
                int t = param(0, 1) - 1;
                int b = Math.min(rows, param(1, rows)) - 1;
                if (t < b) {
                    top = t;
                    bottom = b;
                    cup(1, 1);
                }
            }
            case 's' -> saveCursor();
            case 'u' -> restoreCursor();
            case 'h', 'l' -> {
                for (int i = 0; i < paramCount; i++) {
                    if (params[i] == 4) {
                        insertMode = f == 'h';
                    }
                }
            }
            default -> { } // DSR, DA, window ops: no reply goes back to the program from a viewer
        }
    }

    private void privateMode(int mode, boolean on) {
        switch (mode) {
            case 1 -> appCursorKeys = on;
            case 6 -> {
                originMode = on;
                cup(1, 1);
            }
            case 7 -> autoWrap = on;
            case 25 -> cursorVisible = on;
            case 47, 1047 -> switchScreen(on, mode == 1047);
            case 1048 -> {
                if (on) {
                    saveCursor();
                } else {
                    restoreCursor();
                }
            }
            case 1049 -> {
                if (on) {
                    saveCursor();
                    switchScreen(true, true);
                } else {
                    switchScreen(false, true);
                    restoreCursor();
                }
            }
            case 1000, 1002, 1003 -> mouseMode = on ? mode : 0;
            case 2004 -> bracketedPaste = on;
            default -> { }
        }
    }

    private void switchScreen(boolean toAlt, boolean clearAlt) {
        if (toAlt == altActive) {
            return;
        }
        if (toAlt) {
            altActive = true;
            screen = alt;
            if (clearAlt) {
                for (int r = 0; r < rows; r++) {
                    alt[r] = new TermLine(cols, Attr.PLAIN);
                }
            }
        } else {
            altActive = false;
            screen = main;
        }
        top = 0;
        bottom = rows - 1;
        pendingWrap = false;
    }

    private void oscEnd() {
        state = State.GROUND;
        String s = osc.toString();
        int semi = s.indexOf(';');
        if (semi > 0) {
            String code = s.substring(0, semi);
            if (code.equals("0") || code.equals("2")) {
                title = s.substring(semi + 1);
            }
        }
        osc.setLength(0);
    }

    // ------------------------------------------------------------------------------ printing

    private static final String DEC_GRAPHICS = "◆▒␉␌␍␊°±␤␋┘┐┌└┼⎺⎻─⎼⎽├┤┴┬│≤≥π≠£·";

    private void print(int cp) {
        if ((shiftOut ? g1Graphics : g0Graphics) && cp >= 0x60 && cp <= 0x7E) {
            cp = DEC_GRAPHICS.charAt(cp - 0x60);
        }
        int w = CharWidth.of(cp);
        if (w == 0) {
            return; // combining marks are dropped: one code point per cell
        }
        lastPrinted = cp;
        if (pendingWrap) {
            if (autoWrap) {
                screen[y].wrapped = true;
                x = 0;
                index();
            }
            pendingWrap = false;
        }
        if (w == 2 && x == cols - 1) {
            if (autoWrap && cols > 1) {
                put(x, TermLine.BLANK);
                screen[y].wrapped = true;
                x = 0;
                index();
            } else {
                return;
            }
        }
        if (w > cols) {
            return;
        }
        TermLine line = screen[y];
        if (insertMode) {
            shiftRight(line, x, w);
        }
        put(x, cp);
        if (w == 2) {
            put(x + 1, TermLine.WIDE_TAIL);
        }
        x += w;
        if (x >= cols) {
            x = cols - 1;
            pendingWrap = autoWrap;
        }
    }

    /** Writes one cell, clearing the other half of a wide character it overwrites. */
    private void put(int col, int cp) {
        TermLine line = screen[y];
        if (line.cps[col] == TermLine.WIDE_TAIL && col > 0 && cp != TermLine.WIDE_TAIL) {
            line.cps[col - 1] = TermLine.BLANK;
        }
        if (col + 1 < cols && line.cps[col + 1] == TermLine.WIDE_TAIL && cp != TermLine.WIDE_TAIL && CharWidth.of(Math.max(0, line.cps[col])) == 2) {
            line.cps[col + 1] = TermLine.BLANK;
        }
        line.cps[col] = cp;
        line.attrs[col] = attr;
    }

    private void shiftRight(TermLine line, int from, int n) {
        n = Math.min(n, cols - from);
        System.arraycopy(line.cps, from, line.cps, from + n, cols - from - n);
        System.arraycopy(line.attrs, from, line.attrs, from + n, cols - from - n);
        fill(line, from, from + n);
    }

    private long eraseAttr() {
        return Attr.withBg(Attr.PLAIN, Attr.bg(attr));
    }

    private void fill(TermLine line, int from, int to) {
        from = Math.max(0, from);
        to = Math.min(cols, to);
        if (from >= to) {
            return;
        }
        if (from > 0 && line.cps[from] == TermLine.WIDE_TAIL) {
            line.cps[from - 1] = TermLine.BLANK;
        }
        if (to < cols && line.cps[to] == TermLine.WIDE_TAIL) {
            line.cps[to] = TermLine.BLANK;
        }
        Arrays.fill(line.cps, from, to, TermLine.BLANK);
        Arrays.fill(line.attrs, from, to, eraseAttr());
    }

    // ------------------------------------------------------------------------------ cursor

    private void moveTo(int nx, int ny) {
        x = Math.max(0, Math.min(cols - 1, nx));
        y = Math.max(0, Math.min(rows - 1, ny));
        pendingWrap = false;
    }

    private void cup(int row, int col) {
        cup(row, col, false);
    }

    private void cup(int row, int col, boolean keepColumn) {
        int r = row - 1 + (originMode ? top : 0);
        int maxRow = originMode ? bottom : rows - 1;
        moveTo(col - 1, Math.min(r, maxRow));
    }

    private void tab(int n) {
        for (int i = 0; i < n && x < cols - 1; i++) {
            x++;
            while (x < cols - 1 && !tabStops[x]) {
                x++;
            }
        }
        pendingWrap = false;
    }

    private void backTab(int n) {
        for (int i = 0; i < n && x > 0; i++) {
            x--;
            while (x > 0 && !tabStops[x]) {
                x--;
            }
        }
        pendingWrap = false;
    }

    private void saveCursor() {
        Saved s = altActive ? savedAlt : savedMain;
        s.x = x;
        s.y = y;
        s.attr = attr;
        s.pendingWrap = pendingWrap;
        s.originMode = originMode;
        s.g0Graphics = g0Graphics;
    }

    private void restoreCursor() {
        Saved s = altActive ? savedAlt : savedMain;
        x = Math.min(s.x, cols - 1);
        y = Math.min(s.y, rows - 1);
        attr = s.attr;
        pendingWrap = s.pendingWrap;
        originMode = s.originMode;
        g0Graphics = s.g0Graphics;
    }

    // ------------------------------------------------------------------------------ scrolling

    /** Line feed: down one row, scrolling the region when at its bottom. */
    private void index() {
        pendingWrap = false;
        if (y == bottom) {
            scrollUp(top, bottom, 1);
        } else if (y < rows - 1) {
            y++;
        }
    }

    private void reverseIndex() {
        pendingWrap = false;
        if (y == top) {
            scrollDown(top, bottom, 1);
        } else if (y > 0) {
            y--;
        }
    }

    private void scrollUp(int from, int to, int n) {
        n = Math.min(n, to - from + 1);
        for (int i = 0; i < n; i++) {
            TermLine gone = screen[from];
            if (from == 0 && !altActive) {
                if (scrollbackLimit > 0) {
                    history.add(gone.compact());
                }
                scrolledOff++;
            }
            System.arraycopy(screen, from + 1, screen, from, to - from);
            gone.clear(eraseAttr()); // the history holds a compact copy: the array is reused, not reallocated
            screen[to] = gone;
        }
    }

    private void scrollDown(int from, int to, int n) {
        n = Math.min(n, to - from + 1);
        for (int i = 0; i < n; i++) {
            TermLine gone = screen[to];
            System.arraycopy(screen, from, screen, from + 1, to - from);
            gone.clear(eraseAttr());
            screen[from] = gone;
        }
    }

    private void insertLines(int n) {
        if (y < top || y > bottom) {
            return;
        }
        scrollDown(y, bottom, n);
        x = 0;
        pendingWrap = false;
    }

    private void deleteLines(int n) {
        if (y < top || y > bottom) {
            return;
        }
        for (int i = 0; i < Math.min(n, bottom - y + 1); i++) {
            System.arraycopy(screen, y + 1, screen, y, bottom - y);
            screen[bottom] = new TermLine(cols, eraseAttr());
        }
        x = 0;
        pendingWrap = false;
    }

    // ------------------------------------------------------------------------------ erasing

    private void eraseDisplay(int mode) {
        switch (mode) {
            case 0 -> {
                fill(screen[y], x, cols);
                screen[y].wrapped = false;
                for (int r = y + 1; r < rows; r++) {
                    screen[r] = new TermLine(cols, eraseAttr());
                }
            }
            case 1 -> {
                for (int r = 0; r < y; r++) {
                    screen[r] = new TermLine(cols, eraseAttr());
                }
                fill(screen[y], 0, x + 1);
            }
            case 2 -> {
                for (int r = 0; r < rows; r++) {
                    screen[r] = new TermLine(cols, eraseAttr());
                }
            }
            case 3 -> history.clear();
            default -> { }
        }
        pendingWrap = false;
    }

    private void eraseLine(int mode) {
        TermLine line = screen[y];
        switch (mode) {
            case 0 -> {
                fill(line, x, cols);
                line.wrapped = false;
            }
            case 1 -> fill(line, 0, x + 1);
            case 2 -> {
                fill(line, 0, cols);
                line.wrapped = false;
            }
            default -> { }
        }
        pendingWrap = false;
    }

    private void eraseChars(int n) {
        fill(screen[y], x, x + n);
        pendingWrap = false;
    }

    private void insertChars(int n) {
        shiftRight(screen[y], x, n);
        pendingWrap = false;
    }

    private void deleteChars(int n) {
        TermLine line = screen[y];
        n = Math.min(n, cols - x);
        if (line.cps[x] == TermLine.WIDE_TAIL && x > 0) {
            line.cps[x - 1] = TermLine.BLANK;
        }
        System.arraycopy(line.cps, x + n, line.cps, x, cols - x - n);
        System.arraycopy(line.attrs, x + n, line.attrs, x, cols - x - n);
        fill(line, cols - n, cols);
        if (line.cps[x] == TermLine.WIDE_TAIL) {
            line.cps[x] = TermLine.BLANK;
        }
        pendingWrap = false;
    }

    // ------------------------------------------------------------------------------ colours

    private void sgr() {
        if (paramCount == 0) {
            attr = Attr.PLAIN;
            return;
        }
        int flags = Attr.flags(attr);
        for (int i = 0; i < paramCount; i++) {
            int p = params[i];
            switch (p) {
                case 0 -> {
                    attr = Attr.PLAIN;
                    flags = 0;
                }
                case 1 -> flags |= Attr.BOLD;
                case 2 -> flags |= Attr.DIM;
                case 3 -> flags |= Attr.ITALIC;
                case 4 -> flags |= Attr.UNDERLINE;
                case 5, 6 -> flags |= Attr.BLINK;
                case 7 -> flags |= Attr.INVERSE;
                case 8 -> flags |= Attr.HIDDEN;
                case 9 -> flags |= Attr.STRIKE;
                case 21 -> flags |= Attr.UNDERLINE;
                case 22 -> flags &= ~(Attr.BOLD | Attr.DIM);
                case 23 -> flags &= ~Attr.ITALIC;
                case 24 -> flags &= ~Attr.UNDERLINE;
                case 25 -> flags &= ~Attr.BLINK;
                case 27 -> flags &= ~Attr.INVERSE;
                case 28 -> flags &= ~Attr.HIDDEN;
                case 29 -> flags &= ~Attr.STRIKE;
                case 39 -> attr = Attr.withFg(attr, Attr.DEFAULT_COLOR);
                case 49 -> attr = Attr.withBg(attr, Attr.DEFAULT_COLOR);
                case 38, 48, 58 -> {
                    int[] color = new int[1];
                    i = extendedColor(i, color);
                    if (p == 38 && color[0] >= 0) {
                        attr = Attr.withFg(attr, color[0]);
                    } else if (p == 48 && color[0] >= 0) {
                        attr = Attr.withBg(attr, color[0]);
                    }
                }
                default -> {
                    if (p >= 30 && p <= 37) {
                        attr = Attr.withFg(attr, Attr.indexed(p - 30));
                    } else if (p >= 40 && p <= 47) {
                        attr = Attr.withBg(attr, Attr.indexed(p - 40));
                    } else if (p >= 90 && p <= 97) {
                        attr = Attr.withFg(attr, Attr.indexed(p - 90 + 8));
                    } else if (p >= 100 && p <= 107) {
                        attr = Attr.withBg(attr, Attr.indexed(p - 100 + 8));
                    }
                }
            }
        }
        attr = Attr.withFlags(attr, flags);
    }

    /** Reads 38;5;n / 38;2;r;g;b and their colon forms; returns the index of the last parameter used. */
    private int extendedColor(int i, int[] out) {
        out[0] = -1;
        if (i + 1 < paramCount && sub[i + 1]) {
            // colon form: 38:5:n, 38:2:r:g:b or 38:2:cs:r:g:b
            int j = i + 1;
            int end = j;
            while (end + 1 < paramCount && sub[end + 1]) {
                end++;
            }
            int kind = params[j];
            if (kind == 5 && end >= j + 1) {
                out[0] = Attr.indexed(params[j + 1]);
            } else if (kind == 2 && end - j >= 3) {
                out[0] = Attr.rgb(params[end - 2], params[end - 1], params[end]);
            }
            return end;
        }
        if (i + 1 >= paramCount) {
            return i;
        }
        int kind = params[i + 1];
        if (kind == 5 && i + 2 < paramCount) {
            out[0] = Attr.indexed(params[i + 2]);
            return i + 2;
        }
        if (kind == 2 && i + 4 < paramCount) {
            out[0] = Attr.rgb(params[i + 2], params[i + 3], params[i + 4]);
            return i + 4;
        }
        return paramCount - 1;
    }

    // ------------------------------------------------------------------------------ size

    /** Changes the size, keeping the content (no reflow): rows pushed off the top go to the history. */
    public void resize(int newCols, int newRows) {
        newCols = Math.max(1, newCols);
        newRows = Math.max(1, newRows);
        if (newCols == cols && newRows == rows) {
            return;
        }
        version++;
        // Rows below the cursor go first, as in xterm; then the top rows scroll into the history.
        int excess = rows - newRows;
        int dropBottom = excess > 0 ? Math.min(excess, rows - 1 - y) : 0;
        int pushTop = excess > 0 ? excess - dropBottom : 0;
        main = resizeScreen(main, newCols, newRows, altActive ? Math.max(0, rows - newRows) : pushTop, !altActive);
        alt = resizeScreen(alt, newCols, newRows, altActive ? pushTop : Math.max(0, rows - newRows), false);
        screen = altActive ? alt : main;
        y = Math.max(0, Math.min(newRows - 1, y - pushTop));
        x = Math.min(x, newCols - 1);
        cols = newCols;
        rows = newRows;
        top = 0;
        bottom = rows - 1;
        pendingWrap = false;
        boolean[] tabs = defaultTabs(newCols);
        System.arraycopy(tabStops, 0, tabs, 0, Math.min(tabStops.length, newCols));
        tabStops = tabs;
    }

    private TermLine[] resizeScreen(TermLine[] old, int newCols, int newRows, int pushTop, boolean toHistory) {
        TermLine[] out = new TermLine[newRows];
        for (int i = 0; i < pushTop && i < old.length; i++) {
            if (toHistory) {
                history.add(old[i].compact());
                scrolledOff++;
            }
        }
        for (int r = 0; r < newRows; r++) {
            int from = r + pushTop;
            TermLine line = from < old.length ? old[from] : new TermLine(newCols, Attr.PLAIN);
            line.resize(newCols);
            out[r] = line;
        }
        return out;
    }

    private void reset() {
        main = blankScreen(cols, rows);
        alt = blankScreen(cols, rows);
        screen = main;
        altActive = false;
        x = 0;
        y = 0;
        attr = Attr.PLAIN;
        top = 0;
        bottom = rows - 1;
        autoWrap = true;
        originMode = false;
        insertMode = false;
        cursorVisible = true;
        appCursorKeys = false;
        bracketedPaste = false;
        mouseMode = 0;
        g0Graphics = false;
        g1Graphics = false;
        shiftOut = false;
        pendingWrap = false;
        tabStops = defaultTabs(cols);
    }

    private static TermLine[] blankScreen(int cols, int rows) {
        TermLine[] s = new TermLine[rows];
        for (int r = 0; r < rows; r++) {
            s[r] = new TermLine(cols, Attr.PLAIN);
        }
        return s;
    }

    private static boolean[] defaultTabs(int cols) {
        boolean[] tabs = new boolean[cols];
        for (int i = 8; i < cols; i += 8) {
            tabs[i] = true;
        }
        return tabs;
    }

    /** A fixed-size ring of history lines: the oldest is dropped when a new one comes and it is full. */
    private static final class Ring {
        private final TermLine[] lines;
        private int start;
        private int size;

        Ring(int capacity) {
            lines = new TermLine[capacity];
        }

        void add(TermLine line) {
            if (size < lines.length) {
                lines[(start + size) % lines.length] = line;
                size++;
            } else {
                lines[start] = line;
                start = (start + 1) % lines.length;
            }
        }

        TermLine get(int i) {
            return lines[(start + i) % lines.length];
        }

        int size() {
            return size;
        }

        void clear() {
            Arrays.fill(lines, null);
            start = 0;
            size = 0;
        }
    }
}
