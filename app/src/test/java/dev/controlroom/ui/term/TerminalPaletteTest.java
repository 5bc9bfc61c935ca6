package dev.controlroom.ui.term;

import javafx.scene.paint.Color;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalPaletteTest {

    @Test
    void everyAnsiForegroundIsReadableOnEveryAnsiBackgroundInBothThemes() {
        for (TerminalPalette p : new TerminalPalette[]{TerminalPalette.DARK, TerminalPalette.LIGHT}) {
            for (int fg = 0; fg < 16; fg++) {
                for (int bg = -1; bg < 16; bg++) {
                    long attr = Attr.withFg(Attr.PLAIN, Attr.indexed(fg));
                    if (bg >= 0) {
                        attr = Attr.withBg(attr, Attr.indexed(bg));
                    }
                    Color cellBg = p.backgroundOf(attr).orElse(p.background());
                    double contrast = TerminalPalette.contrast(p.foregroundOf(attr), cellBg);
                    assertTrue(contrast >= TerminalPalette.MIN_CONTRAST - 0.01,
                            (p.dark() ? "dark" : "light") + " fg " + fg + " on bg " + bg + ": " + contrast);
                }
            }
        }
    }

    @Test
    void coloursThatReadWellAreLeftAlone() {
        long red = Attr.withFg(Attr.PLAIN, Attr.indexed(1));
        assertEquals(Color.web("#ff7b72"), TerminalPalette.DARK.foregroundOf(red));
        assertEquals(Color.rgb(10, 200, 30), TerminalPalette.DARK.color(Attr.rgb(10, 200, 30), Color.BLACK));
        assertEquals(Color.rgb(95, 135, 175), TerminalPalette.DARK.color(Attr.indexed(16 + 36 + 2 * 6 + 3), Color.BLACK));
    }
}
