package dev.controlroom.ui.tray;

import dev.controlroom.ui.tray.TrayState.Attention;
import dev.controlroom.ui.tray.TrayState.Kind;
import dev.controlroom.ui.tray.TrayState.Look;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** java.awt.image draws without a display, so the icon's look is checked pixel by pixel here. */
class TrayIconsTest {
    private static final int SIZE = 48;

    private static Color at(BufferedImage image, double x, double y) {
        return new Color(image.getRGB((int) (x * image.getWidth()), (int) (y * image.getHeight())), true);
    }

    private static TrayState attention(Kind kind) {
        return new TrayState(Look.ATTENTION, 1, 0, List.of(new Attention(kind, "run-a", Optional.of(1L), "x")));
    }

    @Test
    void idleIsGreyRunningIsBlueWithABadgeAndAttentionAddsADotByKind() {
        BufferedImage idle = TrayIcons.draw(TrayState.IDLE, SIZE, SIZE);
        BufferedImage running = TrayIcons.draw(new TrayState(Look.RUNNING, 2, 0, List.of()), SIZE, SIZE);
        BufferedImage failed = TrayIcons.draw(attention(Kind.FAILED), SIZE, SIZE);
        BufferedImage asking = TrayIcons.draw(attention(Kind.NEEDS_INPUT), SIZE, SIZE);

        assertEquals(TrayIcons.IDLE, opaque(at(idle, 0.15, 0.85)));
        assertEquals(TrayIcons.RUNNING, opaque(at(running, 0.15, 0.85)));
        assertNotEquals(opaque(at(idle, 0.75, 0.75)), opaque(at(running, 0.75, 0.75)), "the count badge sits lower right");
        assertEquals(TrayIcons.FAILED, opaque(at(failed, 0.78, 0.22)));
        assertEquals(TrayIcons.WARNING, opaque(at(asking, 0.78, 0.22)));
        assertEquals(TrayIcons.RUNNING, opaque(at(running, 0.85, 0.3)), "no dot without attention");
    }

    @Test
    void drawsAtTheSizeTheTrayAsksForButNeverBelowSixteen() {
        assertEquals(22, TrayIcons.draw(TrayState.IDLE, 22, 24).getWidth());
        assertEquals(16, TrayIcons.draw(TrayState.IDLE, 8, 8).getHeight());
    }

    private static Color opaque(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue());
    }
}
