package dev.controlroom.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chaos benchmark, small: two runs of a real engine killed with SIGKILL and resumed, one with
 * the database locked by another program, one with the disk it is on full for a while.
 */
@Timeout(300)
class ChaosBenchTest {
    @TempDir
    Path dir;

    @Test
    void nothingBreaksWhenTheEngineIsKilledAtRandomMomentsTheDatabaseIsLockedAndItsDiskIsFull() throws Exception {
        StringWriter text = new StringWriter();
        Map<ChaosBench.Invariant, Integer> violations = new ChaosBench(new PrintWriter(text, true), dir, 11).run(2, 4);

        assertTrue(text.toString().contains("bench chaos: 2 trials of 4 tasks"), text.toString());
        assertTrue(text.toString().contains("1 trial(s) with the database locked for 12 s, 1 with its disk full for 5 s"), text.toString());
        violations.forEach((invariant, n) -> assertEquals(0, n, invariant.text + "\n" + text));
    }
}
