package dev.controlroom.ui.tray;

import dev.controlroom.Launcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real app in its own JVM (the test JVM is headless) on a private Xvfb display: with a tray
 * host (trayer) the icon is added; without one the app says so once and runs on without errors.
 * CI installs xvfb and trayer, so these run there.
 */
class TrayUnderXvfbTest {
    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopDisplays() {
        started.reversed().forEach(p -> p.toHandle().destroy());
    }

    @Test
    void withATrayHostTheIconIsAddedAndTheWindowShows() throws Exception {
        String display = xvfb();
        assumeTrue(onPath("trayer").isPresent(), "trayer is not installed (apt-get install trayer): no tray host to test with");
        trayer(display);

        Result r = launch(display);

        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("smoke: first frame with data after"), r.toString());
        assertTrue(r.out().contains("smoke: tray icon added"), r.toString());
    }

    @Test
    void withoutATrayHostTheAppSaysSoOnceAndRunsWithoutErrors() throws Exception {
        String display = xvfb();

        Result r = launch(display);

        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("smoke: first frame with data after"), r.toString());
        assertTrue(r.out().contains("smoke: " + DesktopTray.NO_TRAY), r.toString());
        assertEquals(1, r.err().split(DesktopTray.NO_TRAY, -1).length - 1, "logged exactly once: " + r);
        assertFalse(r.err().contains("Exception"), r.toString());
    }

    record Result(int exit, String out, String err) {
    }

    private Result launch(String display) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-Djava.awt.headless=false", Launcher.class.getName(),
                "--db", dir.resolve("data/control-room.db").toString(), "--smoke", "--verbose");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("DISPLAY", display);
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("XDG_DATA_HOME", dir.resolve("xdg").toString());
        Process p = pb.start();
        started.add(p);
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "the app did not end within 150 s");
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A private X display; its number comes from Xvfb itself (-displayfd), so parallel runs do not collide. */
    private String xvfb() throws Exception {
        assumeTrue(onPath("Xvfb").isPresent(), "Xvfb is not installed (apt-get install xvfb): no display to test on");
        Process x = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        started.add(x);
        BufferedReader reader = new BufferedReader(new InputStreamReader(x.getInputStream(), StandardCharsets.US_ASCII));
        String number = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        assertTrue(number != null && number.strip().matches("\\d+"), "Xvfb did not report its display: " + number);
        return ":" + number.strip();
    }

    /** Starts trayer and waits until its panel window exists (it claims the tray before it maps it). */
    private void trayer(String display) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24",
                "--SetDockType", "true", "--transparent", "false").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DISPLAY", display);
        started.add(pb.start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        if (onPath("xdotool").isEmpty()) {
            Thread.sleep(3000);
            return;
        }
        while (System.nanoTime() < deadline) {
            ProcessBuilder search = new ProcessBuilder("xdotool", "search", "--class", "trayer").redirectErrorStream(true);
            search.environment().put("DISPLAY", display);
            Process s = search.start();
            String found = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (s.waitFor() == 0 && !found.isEmpty()) {
                Thread.sleep(300);
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("trayer did not show its panel within 20 s");
    }

    private static Optional<Path> onPath(String tool) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(folder, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
