package dev.controlroom.agent;

/** Turns terminal output into clean text: no escape sequences, no control characters, no carriage returns. */
public final class TerminalText {
    private TerminalText() {
    }

    /**
     * Cleans one line (without its line feed). Escape sequences (CSI, OSC, two-byte ESC) and control
     * characters other than tab are dropped; a carriage return starts the line over, as a
     * terminal would show it (progress bars), unless it only precedes the end of the line.
     */
    public static String clean(CharSequence line) {
        StringBuilder out = new StringBuilder(line.length());
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c == 0x1B) {
                i = skipEscape(line, i);
            } else if (c == 0x9B) { // 8-bit CSI
                i = skipCsi(line, i + 1);
            } else if (c == '\r') {
                if (i + 1 < n) {
                    out.setLength(0);
                }
            } else if (c == '\b') {
                if (!out.isEmpty()) {
                    out.setLength(out.length() - 1);
                }
            } else if (c >= 0x20 && c != 0x7F || c == '\t') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Returns the index of the last char of the escape sequence starting at {@code i}. */
    private static int skipEscape(CharSequence s, int i) {
        if (i + 1 >= s.length()) {
            return i;
        }
        char next = s.charAt(i + 1);
        if (next == '[') {
            return skipCsi(s, i + 2);
        }
        if (next == ']' || next == 'P' || next == '_' || next == '^') {
            // OSC / DCS / APC / PM: up to BEL or ST (ESC \)
            for (int j = i + 2; j < s.length(); j++) {
                char c = s.charAt(j);
                if (c == 0x07) {
                    return j;
                }
                if (c == 0x1B && j + 1 < s.length() && s.charAt(j + 1) == '\\') {
                    return j + 1;
                }
            }
            return s.length() - 1;
        }
        if (next == '(' || next == ')' || next == '*' || next == '+' || next == '#' || next == '%') {
            return Math.min(i + 2, s.length() - 1); // charset designation: ESC ( B
        }
        return i + 1;
    }

    private static int skipCsi(CharSequence s, int j) {
        for (; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c >= 0x40 && c <= 0x7E) {
                return j;
            }
        }
        return s.length() - 1;
    }
}
