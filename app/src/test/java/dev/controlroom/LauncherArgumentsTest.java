package dev.controlroom;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain window start is read without picocli; everything else is left to picocli. */
class LauncherArgumentsTest {
    @Test
    void theWindowOptionsAreReadInEitherSpelling() {
        Launcher spaced = Launcher.windowOnly(new String[] {"--smoke", "--db", "/tmp/a.db", "--verbose"}).orElseThrow();
        assertTrue(spaced.smoke);
        assertTrue(spaced.verbose);
        assertEquals(Path.of("/tmp/a.db"), spaced.database);

        Launcher joined = Launcher.windowOnly(new String[] {"--db=/tmp/b.db"}).orElseThrow();
        assertFalse(joined.smoke);
        assertEquals(Path.of("/tmp/b.db"), joined.database);
    }

    @Test
    void noArgumentsOpenTheWindowOnTheDefaultDatabase() {
        assertEquals(new Launcher().database, Launcher.windowOnly(new String[0]).orElseThrow().database);
    }

    @Test
    void commandsHelpRepeatsAndOddSpellingsAreLeftToPicocli() {
        for (String[] args : new String[][] {{"status"}, {"--help"}, {"-V"}, {"--smoke", "--smoke"}, {"--db", "a.db", "--db=b.db"},
                {"--db"}, {"--db", "--smoke"}, {"--db="}, {"@args.txt"}, {"--smoke=true"}, {"--", "--smoke"}}) {
            assertTrue(Launcher.windowOnly(args).isEmpty(), String.join(" ", args));
        }
    }
}
