package dev.controlroom;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line and the headless benchmarks run on a machine without a display: they never load JavaFX. */
class HeadlessCommandsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"--version", "validate plan.yaml", "status", "bench --help"})
    void aHeadlessCommandLoadsNoJavaFxClass(String command) throws Exception {
        Files.writeString(dir.resolve("plan.yaml"), """
                name: headless
                tasks:
                  - { id: build, command: make }
                """);
        Path loaded = dir.resolve("classes.log");
        // The java launcher reads this variable: the child logs every class it loads, without a change to how it is started.
        Map<String, String> env = Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + loaded);

        Process p = ChildJvm.start(dir, dir.resolve("out.txt"), dir.resolve("err.txt"), env, command.split(" "));

        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the command did not exit within 90 s");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("out.txt")) + Files.readString(dir.resolve("err.txt")));
        List<String> lines = Files.readAllLines(loaded);
        assertTrue(lines.stream().anyMatch(l -> l.contains(" dev.controlroom.Launcher ")), "the class log is empty or not this launcher's");
        assertFalse(lines.stream().anyMatch(l -> l.contains(" javafx.")),
                String.join("\n", lines.stream().filter(l -> l.contains(" javafx.")).limit(20).toList()));
    }
}
