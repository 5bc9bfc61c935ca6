package dev.controlroom.ui.term;

import javafx.scene.paint.Color;

/**
 * The colours a terminal view paints with, one set per window theme: the 16 ANSI colours are
 * tuned to read on that theme's background (GitHub Primer's terminal colours, as the AtlantaFX
 * Primer themes use), the 256-colour cube and grey ramp and 24-bit colours are exact.
 */
public final class TerminalPalette {
    public static final TerminalPalette DARK = new TerminalPalette(true, "#0d1117", "#e6edf3", "#2f81f7", "#264f78", "#bb800966", "#d29922",
            "#484f58", "#ff7b72", "#3fb950", "#d29922", "#58a6ff", "#bc8cff", "#39c5cf", "#b1bac4",
            "#6e7681", "#ffa198", "#56d364", "#e3b341", "#79c0ff", "#d2a8ff", "#56d4dd", "#ffffff");
    public static final TerminalPalette LIGHT = new TerminalPalette(false, "#ffffff", "#1f2328", "#0969da", "#b6d7ff", "#fff8c5", "#bf8700",
            "#24292f", "#cf222e", "#116329", "#4d2d00", "#0969da", "#8250df", "#1b7c83", "#6e7781",
            "#57606a", "#a40e26", "#1a7f37", "#633c01", "#218bff", "#a475f9", "#3192aa", "#8c959f");

    private final boolean dark;
    private final Color background;
    private final Color foreground;
    private final Color cursor;
    private final Color selection;
    private final Color match;
    private final Color currentMatch;
    private final Color[] indexed = new Color[256];

    private TerminalPalette(boolean dark, String bg, String fg, String cursor, String selection, String match, String currentMatch,
                            String... ansi) {
        this.dark = dark;
        this.background = Color.web(bg);
        this.foreground = Color.web(fg);
        this.cursor = Color.web(cursor);
        this.selection = Color.web(selection);
        this.match = Color.web(match);
        this.currentMatch = Color.web(currentMatch);
        for (int i = 0; i < 16; i++) {
            indexed[i] = Color.web(ansi[i]);
        }
        int[] steps = {0, 95, 135, 175, 215, 255};
        for (int i = 16; i < 232; i++) {
            int n = i - 16;
            indexed[i] = Color.rgb(steps[n / 36], steps[(n / 6) % 6], steps[n % 6]);
        }
        for (int i = 232; i < 256; i++) {
            int v = 8 + (i - 232) * 10;
            indexed[i] = Color.rgb(v, v, v);
        }
    }

    public boolean dark() {
        return dark;
    }

    public Color background() {
        return background;
    }

    public Color foreground() {
        return foreground;
    }

    public Color cursor() {
        return cursor;
    }

    public Color selection() {
        return selection;
    }

    public Color match() {
        return match;
    }

    public Color currentMatch() {
        return currentMatch;
    }

    /** A packed colour ({@link Attr}) as paint; the default becomes {@code fallback}. */
    public Color color(int packed, Color fallback) {
        if (Attr.isIndexed(packed)) {
            return indexed[Attr.value(packed)];
        }
        if (Attr.isRgb(packed)) {
            int v = Attr.value(packed);
            return Color.rgb((v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF);
        }
        return fallback;
    }

    /**
     * Text colour of a cell: inverse swaps, too little contrast with the cell's background is
     * raised (white text meant for a dark terminal stays readable on the light theme, and the
     * other way round), dim fades towards the background.
     */
    public Color foregroundOf(long attr) {
        Color fg = Attr.has(attr, Attr.INVERSE) ? color(Attr.bg(attr), background) : color(Attr.fg(attr), foreground);
        Color bg = backgroundOf(attr).orElse(background);
        fg = readableOn(fg, bg);
        if (Attr.has(attr, Attr.DIM)) {
            fg = fg.interpolate(bg, 0.45);
        }
        return fg;
    }

    static final double MIN_CONTRAST = 3.0;

    /** {@code fg}, moved towards black or white until it reaches {@link #MIN_CONTRAST} against {@code bg}. */
    static Color readableOn(Color fg, Color bg) {
        if (contrast(fg, bg) >= MIN_CONTRAST) {
            return fg;
        }
        Color target = contrast(Color.BLACK, bg) > contrast(Color.WHITE, bg) ? Color.BLACK : Color.WHITE;
        for (double t = 0.2; t < 1; t += 0.2) {
            Color c = fg.interpolate(target, t);
            if (contrast(c, bg) >= MIN_CONTRAST) {
                return c;
            }
        }
        return target;
    }

    /** WCAG contrast ratio, 1 (none) to 21. */
    static double contrast(Color a, Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(Color c) {
        return 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
    }

    private static double linear(double v) {
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    /** Background of a cell, empty when it is the terminal's own. */
    public java.util.Optional<Color> backgroundOf(long attr) {
        if (Attr.has(attr, Attr.INVERSE)) {
            return java.util.Optional.of(color(Attr.fg(attr), foreground));
        }
        int bg = Attr.bg(attr);
        return bg == Attr.DEFAULT_COLOR ? java.util.Optional.empty() : java.util.Optional.of(color(bg, background));
    }
}
