package dev.controlroom.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small disk of its own (a tmpfs mounted on a folder) that can be filled to the last byte and
 * freed again: a real full disk for a real SQLite file, without filling the machine's. Mounting
 * needs root (or CAP_SYS_ADMIN); when it cannot mount it says so and why, instead of pretending.
 */
public final class SmallDisk implements AutoCloseable {
    private final Path path;
    private final Path filler;

    private SmallDisk(Path path) {
        this.path = path;
        this.filler = path.resolve("filler");
    }

    /** Mounts a tmpfs of {@code megabytes} on {@code path} (created when missing). */
    public static SmallDisk mount(Path path, int megabytes) throws IOException {
        Files.createDirectories(path);
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "tmpfs", path.toString()),
                "cannot mount a small disk (tmpfs) at " + path + ": a full disk is tested on a real file system of its own,"
                        + " which needs root or CAP_SYS_ADMIN (mount -t tmpfs)");
        return new SmallDisk(path);
    }

    public Path path() {
        return path;
    }

    /** Writes a file until the disk refuses another byte; returns how many bytes it took. */
    public long fill() throws IOException {
        long written = 0;
        byte[] big = new byte[1 << 20];
        byte[] small = new byte[512];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (byte[] block : new byte[][] {big, small}) {
                try {
                    while (true) {
                        out.write(block);
                        out.flush();
                        written += block.length;
                    }
                } catch (IOException full) {
                    // this block size no longer fits: the smaller one fills what is left
                }
            }
        } catch (IOException closingAFullFile) {
            // the last partial block could not be written either: the disk is full, which is the point
        }
        return written;
    }

    /** Deletes what {@link #fill()} wrote. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    /** Bytes free on the disk now. */
    public long freeBytes() throws IOException {
        return Files.getFileStore(path).getUsableSpace();
    }

    /** Unmounts the disk (lazily when something still holds a file on it): no mount outlives its user. */
    @Override
    public void close() throws IOException {
        try {
            run(List.of("umount", path.toString()), "cannot unmount the small disk at " + path);
        } catch (IOException busy) {
            run(List.of("umount", "-l", path.toString()), "cannot unmount the small disk at " + path);
        }
    }

    private static void run(List<String> command, String failure) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said;
        try (var in = p.getInputStream()) {
            said = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(failure + ": '" + String.join(" ", command) + "' did not finish in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(failure + ": interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(failure + ": '" + String.join(" ", command) + "' exited with " + p.exitValue()
                    + (said.isEmpty() ? "" : " (" + said + ")"));
        }
    }
}
