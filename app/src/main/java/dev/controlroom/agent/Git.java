package dev.controlroom.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One git command in a folder, with a time limit, an output cap and interruption: an interrupted
 * caller (a person pressed Cancel) stops the process instead of waiting it out.
 */
final class Git {
    /** What git printed (stdout and stderr together) and how it ended. */
    record Result(int exit, String output, boolean truncated) {
        boolean ok() {
            return exit == 0;
        }
    }

    private static final long TIMEOUT_SECONDS = 120;
    private static final int DEFAULT_CAP = 8 * 1024 * 1024;

    private final Path dir;
    private final Map<String, String> env;

    private Git(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = Map.copyOf(env);
    }

    static Git in(Path dir) {
        return new Git(dir, Map.of());
    }

    /** The same folder with extra environment (e.g. {@code GIT_INDEX_FILE} for a scratch index). */
    Git with(Map<String, String> extra) {
        var all = new java.util.HashMap<>(env);
        all.putAll(extra);
        return new Git(dir, all);
    }

    Path dir() {
        return dir;
    }

    /** Runs git and returns its output; fails naming the command, the folder and git's own words. */
    String run(String... args) throws IOException {
        Result r = tryRun(DEFAULT_CAP, args);
        if (!r.ok()) {
            throw new IOException("git " + String.join(" ", args) + " failed in " + dir + ": " + r.output().strip());
        }
        return r.output();
    }

    Result tryRun(String... args) throws IOException {
        return tryRun(DEFAULT_CAP, args);
    }

    /** Runs git, keeping at most {@code cap} bytes of output (the rest is read and dropped so git can finish). */
    Result tryRun(int cap, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        // Never stop at a prompt for credentials or an editor: there is nobody at git's terminal.
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("GIT_EDITOR", "true");
        Process p = pb.start();
        p.getOutputStream().close();
        try {
            var reader = new java.util.concurrent.FutureTask<>(() -> readCapped(p.getInputStream(), cap));
            Thread.ofVirtual().name("cr-git-output").start(reader);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("git " + String.join(" ", args) + " in " + dir + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            Captured out = reader.get(10, TimeUnit.SECONDS);
            return new Result(p.exitValue(), out.text, out.truncated);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("cancelled: git " + String.join(" ", args) + " was stopped", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("could not read the output of git " + String.join(" ", args) + ": " + e.getMessage(), e);
        }
    }

    private record Captured(String text, boolean truncated) {
    }

    private static Captured readCapped(InputStream in, int cap) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        boolean truncated = false;
        int n;
        while ((n = in.read(buf)) >= 0) {
            int room = cap - kept.size();
            if (room > 0) {
                kept.write(buf, 0, Math.min(room, n));
            }
            truncated |= n > room;
        }
        return new Captured(kept.toString(StandardCharsets.UTF_8), truncated);
    }
}
