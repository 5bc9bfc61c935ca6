package dev.controlroom.ui.tray;

import dev.controlroom.ui.tray.TrayState.Kind;
import dev.controlroom.ui.tray.TrayState.Look;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;

/**
 * Draws the tray icon for a state, at the size the tray asks for: a grey panel when idle, a blue
 * one with the number of running runs when busy, and a red (failed) or amber (stuck, asking) dot
 * when something needs the person. Drawn rather than loaded so that the count and the dot are
 * sharp at any size; tray hosts ignore CSS, so the colours are the theme's, written out.
 */
final class TrayIcons {
    static final Color IDLE = new Color(0x8b949e);
    static final Color RUNNING = new Color(0x2f81f7);
    static final Color FAILED = new Color(0xf85149);
    static final Color WARNING = new Color(0xd29922);
    private static final Color INK = new Color(0x0d1117);

    private TrayIcons() {
    }

    static BufferedImage draw(TrayState state, int width, int height) {
        int size = Math.max(16, Math.min(width, height));
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            float s = size;
            // The panel: the app's "three agents at work" glyph in a rounded square.
            g.setColor(state.running() > 0 ? RUNNING : IDLE);
            g.fill(new RoundRectangle2D.Float(s * 0.06f, s * 0.06f, s * 0.88f, s * 0.88f, s * 0.3f, s * 0.3f));
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(Math.max(1.5f, s * 0.1f), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            float left = s * 0.26f;
            for (int i = 0; i < 3; i++) {
                float y = s * (0.3f + i * 0.2f);
                float length = s * (i == 1 ? 0.32f : 0.48f);
                g.drawLine(Math.round(left), Math.round(y), Math.round(left + length), Math.round(y));
            }
            if (state.running() > 0) {
                badge(g, s, Integer.toString(Math.min(state.running(), 9)));
            }
            if (state.look() == Look.ATTENTION) {
                dot(g, s, state.worst().orElse(Kind.FAILED) == Kind.FAILED ? FAILED : WARNING);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The number of running runs, white on ink in the lower right corner. */
    private static void badge(Graphics2D g, float s, String count) {
        float d = s * 0.52f;
        float x = s - d;
        float y = s - d;
        g.setColor(INK);
        g.fill(new Ellipse2D.Float(x, y, d, d));
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(9, Math.round(d * 0.8f))));
        FontMetrics m = g.getFontMetrics();
        g.drawString(count, x + (d - m.stringWidth(count)) / 2f, y + (d + m.getAscent() - m.getDescent()) / 2f);
    }

    /** The attention dot in the upper right corner, ringed so that it reads on any panel colour. */
    private static void dot(Graphics2D g, float s, Color colour) {
        float d = s * 0.46f;
        float x = s - d;
        g.setColor(INK);
        g.fill(new Ellipse2D.Float(x - 1, -1, d + 2, d + 2));
        g.setColor(colour);
        g.fill(new Ellipse2D.Float(x, 0, d, d));
    }
}
