package dev.controlroom.ui;

import dev.controlroom.Launcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UiBenchTest {

    @Test
    void aShortRunStoresEveryPrintedLineAndPrintsThePulseTable(@TempDir Path dir) {
        StringWriter text = new StringWriter();
        CommandLine cli = Launcher.commandLine();
        cli.setOut(new PrintWriter(text, true));
        cli.setErr(new PrintWriter(text, true));
        int code = cli.execute("bench", "ui", "--agents", "2", "--seconds", "2", "--headless", "--dir", dir.toString());
        String out = text.toString();
        System.out.println(out); // the table, in the test report
        assertEquals(0, code, out);
        assertTrue(out.contains("lines printed 8,000, lines stored 8,000 (equal, zero lost)"), out);
        assertTrue(out.contains("idle window (baseline)"), out);
        assertTrue(out.contains("under load"), out);
        assertTrue(out.contains("2 terminal views open"), out);
        assertTrue(out.contains("verdict: p99 pulse gap under load"), out);
    }
}
