package dev.controlroom;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts Control Room's real entry point in its own JVM, as a user or a script would. */
public final class ChildJvm {
    private ChildJvm() {
    }

    public static Process start(Path workDir, Path stdout, Path stderr, Map<String, String> env, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(workDir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().put("HOME", workDir.toString());
        pb.environment().put("XDG_DATA_HOME", workDir.resolve("xdg").toString());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** The command line that runs Control Room with {@code args} in a JVM like this one (for a client that starts it itself). */
    public static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Dprism.text=t2k",
                "-Dheadless.geometry=1600x1000-32", "-Djava.awt.headless=true", Launcher.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
