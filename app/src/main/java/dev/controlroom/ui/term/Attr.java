package dev.controlroom.ui.term;

/**
 * A cell's look packed into one {@code long}, so a line of cells is two primitive arrays instead
 * of an object per cell: bits 0-7 flags, 8-33 foreground, 34-59 background. A colour is 0 for the
 * default, {@code INDEXED | n} for palette entry n (0-255) or {@code RGB | 0xRRGGBB}.
 */
public final class Attr {
    public static final int BOLD = 1;
    public static final int DIM = 2;
    public static final int ITALIC = 4;
    public static final int UNDERLINE = 8;
    public static final int INVERSE = 16;
    public static final int HIDDEN = 32;
    public static final int STRIKE = 64;
    public static final int BLINK = 128;

    public static final int DEFAULT_COLOR = 0;
    public static final int INDEXED = 1 << 24;
    public static final int RGB = 2 << 24;
    private static final long COLOR_MASK = (1L << 26) - 1;

    public static final long PLAIN = 0;

    private Attr() {
    }

    public static int flags(long attr) {
        return (int) (attr & 0xFF);
    }

    public static boolean has(long attr, int flag) {
        return (attr & flag) != 0;
    }

    public static int fg(long attr) {
        return (int) ((attr >>> 8) & COLOR_MASK);
    }

    public static int bg(long attr) {
        return (int) ((attr >>> 34) & COLOR_MASK);
    }

    public static long withFlags(long attr, int flags) {
        return (attr & ~0xFFL) | (flags & 0xFF);
    }

    public static long withFg(long attr, int color) {
        return (attr & ~(COLOR_MASK << 8)) | ((color & COLOR_MASK) << 8);
    }

    public static long withBg(long attr, int color) {
        return (attr & ~(COLOR_MASK << 34)) | ((color & COLOR_MASK) << 34);
    }

    public static int indexed(int n) {
        return INDEXED | (n & 0xFF);
    }

    public static int rgb(int r, int g, int b) {
        return RGB | ((r & 0xFF) << 16) | ((g & 0xFF) << 8) | (b & 0xFF);
    }

    public static boolean isIndexed(int color) {
        return (color & ~0xFFFFFF) == INDEXED;
    }

    public static boolean isRgb(int color) {
        return (color & ~0xFFFFFF) == RGB;
    }

    /** The palette index or the 0xRRGGBB value of a colour. */
    public static int value(int color) {
        return color & 0xFFFFFF;
    }
}
