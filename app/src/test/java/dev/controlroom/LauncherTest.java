package dev.controlroom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts the real entry point in its own JVM, as a user or a packaging check would. */
class LauncherTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private Result launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Dprism.text=t2k",
                "-Dheadless.geometry=1600x1000-32", "-Djava.awt.headless=true", Launcher.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("XDG_DATA_HOME", dir.resolve("xdg").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not exit within 90 s");
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void versionPrintsTheProductAndJava() throws Exception {
        Result r = launch(Map.of(), "--version");

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("Control Room "), r.out());
        assertTrue(r.out().contains("Java 25"), r.out());
    }

    @Test
    void smokeShowsTheWindowOnTheDefaultDatabaseAndASecondStartReusesIt() throws Exception {
        Result first = launch(Map.of(), "--smoke");

        assertEquals(0, first.exit(), first.out() + first.err());
        assertTrue(first.out().contains("smoke: first frame with data after"), first.out());
        assertEquals("", first.err().strip(), "a clean start prints no warning");
        Path db = dir.resolve("xdg/control-room/control-room.db");
        assertTrue(Files.exists(db), "database in the XDG data folder");
        assertTrue(Files.exists(dir.resolve("xdg/control-room/samples/sample-plan.yaml")));

        Result second = launch(Map.of(), "--smoke");

        assertEquals(0, second.exit(), second.out() + second.err());
        try (var store = dev.controlroom.store.Store.open(db, java.time.Clock.systemUTC())) {
            assertEquals(1, store.plans().list().size(), "one sample plan after two starts");
            assertEquals(1, store.agents().listAll().stream().filter(a -> a.name().equals("shell-1")).count());
        }
    }

    @Test
    void unusableDatabaseFileIsNamedAndExitCodeSaysStorage() throws Exception {
        Path bad = dir.resolve("bad.db");
        Files.writeString(bad, "not a database");

        Result r = launch(Map.of(), "--smoke", "--db", bad.toString());

        assertEquals(3, r.exit());
        assertTrue(r.err().contains("error: cannot migrate the database " + bad), r.err());
        assertEquals("not a database", Files.readString(bad));
    }

    @Test
    void unknownOptionIsAUsageError() throws Exception {
        Result r = launch(Map.of(), "--frobnicate");

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Unknown option: '--frobnicate'"), r.err());
    }
}
