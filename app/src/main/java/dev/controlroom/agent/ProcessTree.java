package dev.controlroom.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** OS process helpers for any pid, not only our own children: identity across restarts and killing whole trees. */
public final class ProcessTree {
    /** Start times are stored with less precision than the OS reports (and Linux counts in clock ticks). */
    private static final Duration SAME_START_TOLERANCE = Duration.ofSeconds(1);
    /** SIGKILL cannot be refused, but the kernel still needs a moment to tear a process down. */
    private static final Duration KILL_SETTLE = Duration.ofSeconds(1);
    private static final Path PROC = Path.of("/proc");

    private ProcessTree() {
    }

    /**
     * True when a process with this pid runs and is the one that started at {@code startTime} (within 1 s),
     * so a pid the OS handed to another process since is not mistaken for ours. Zombies count as dead.
     */
    public static boolean isSameProcessAlive(long pid, Instant startTime) {
        return ProcessHandle.of(pid)
                .filter(ProcessTree::isRunning)
                .flatMap(h -> h.info().startInstant())
                .map(started -> Duration.between(started, startTime).abs().compareTo(SAME_START_TOLERANCE) <= 0)
                .orElse(false);
    }

    /** The start time the OS reports for this pid; empty when no such process exists (or the OS will not say). */
    public static Optional<Instant> startTime(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant());
    }

    /**
     * Kills a pid and all its descendants: SIGTERM to every process of a snapshot taken first, up to
     * {@code grace} for them to leave, then SIGKILL to what is left and to what they started meanwhile.
     * The snapshot is taken before any signal because a killed parent's children are re-parented and no
     * longer findable as descendants. On Linux it also holds every process of the session this pid leads
     * (a PTY child leads its own), which finds background jobs even after their parent exited; {@code setsid}
     * grandchildren leave the session and are found as descendants. The caller vouches that the pid is
     * still the process it means (see {@link #isSameProcessAlive}).
     *
     * @return how many processes were signalled
     */
    public static int killTree(long pid, Duration grace) {
        return killTree(pid, ProcessHandle.of(pid), grace);
    }

    /**
     * {@link #killTree(long, Duration)} with the root already resolved: empty when the process has gone,
     * in which case only its session's leftovers are killed.
     */
    static int killTree(long pid, Optional<ProcessHandle> root, Duration grace) {
        // A second look: survivors may have started new children while we waited.
        return end(tree(pid, root), () -> tree(pid, root), grace);
    }

    /**
     * Asks every process to end, waits up to {@code grace}, then forces those still running and
     * those {@code secondLook} finds now; returns how many were signalled.
     */
    private static int end(Set<ProcessHandle> processes, java.util.function.Supplier<Set<ProcessHandle>> secondLook, Duration grace) {
        Set<Long> signalled = new LinkedHashSet<>();
        for (ProcessHandle p : processes) {
            if (p.destroy()) {
                signalled.add(p.pid());
            }
        }
        awaitGone(processes, grace);
        Set<ProcessHandle> left = new LinkedHashSet<>(processes);
        left.addAll(secondLook.get());
        left.removeIf(Predicate.not(ProcessTree::isRunning));
        for (ProcessHandle p : left) {
            if (p.destroyForcibly()) {
                signalled.add(p.pid());
            }
        }
        awaitGone(left, KILL_SETTLE);
        return signalled.size();
    }

    /** The root (if running), its descendants and its session, minus this JVM and its ancestors: never kill ourselves. */
    private static Set<ProcessHandle> tree(long pid, Optional<ProcessHandle> root) {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        root.ifPresent(r -> {
            tree.add(r);
            r.descendants().forEach(tree::add);
        });
        sessionMembers(pid).forEach(member -> {
            tree.add(member);
            member.descendants().forEach(tree::add);
        });
        for (Optional<ProcessHandle> p = Optional.of(ProcessHandle.current()); p.isPresent(); p = p.get().parent()) {
            tree.remove(p.get());
        }
        tree.removeIf(Predicate.not(ProcessTree::isRunning));
        return tree;
    }

    /** Polls rather than using onExit(): that cannot tell a zombie (killed, not yet reaped by its parent) from a live process. */
    private static void awaitGone(Set<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 2;
        while (processes.stream().anyMatch(ProcessTree::isRunning)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                Thread.sleep(Math.min(pauseMillis, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pauseMillis = Math.min(pauseMillis * 2, 50);
        }
    }

    /**
     * Ends every process whose environment holds {@code variable} with a value {@code wanted} accepts,
     * with what it started: the processes a session left behind however they left it (nohup, setsid,
     * a double fork, a JVM killed under them), since each inherits the variable its session was started
     * with. Linux reads /proc/PID/environ; elsewhere it finds none and the tree and session sweep is all.
     * Never this JVM or its ancestors. Returns how many were signalled.
     */
    public static int killCarrying(String variable, Predicate<String> wanted, Duration grace) {
        return killCarrying(variable, wanted, grace, 0);
    }

    /**
     * {@link #killCarrying(String, Predicate, Duration)} among the processes started after {@code since}
     * (by pid: the kernel hands pids out upwards and wraps only after pid_max), which skips reading the
     * environment of every older process when a session ends.
     */
    public static int killCarrying(String variable, Predicate<String> wanted, Duration grace, long since) {
        Set<ProcessHandle> found = carrying(variable, wanted, since);
        if (found.isEmpty()) {
            return 0;
        }
        Set<ProcessHandle> all = new LinkedHashSet<>();
        for (ProcessHandle p : found) {
            all.add(p);
            p.descendants().forEach(all::add);
        }
        for (Optional<ProcessHandle> p = Optional.of(ProcessHandle.current()); p.isPresent(); p = p.get().parent()) {
            all.remove(p.get());
        }
        return end(all, Set::of, grace);
    }

    /** The running processes whose environment holds {@code variable} with a value {@code wanted} accepts (Linux). */
    public static Set<ProcessHandle> carrying(String variable, Predicate<String> wanted, long since) {
        if (!Os.LINUX) {
            return Set.of();
        }
        byte[] prefix = (variable + "=").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        Set<ProcessHandle> found = new LinkedHashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcessTree::isPidFolder)) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (pid == self || pid < since) {
                    continue;
                }
                byte[] env;
                try {
                    env = Files.readAllBytes(entry.resolve("environ"));
                } catch (IOException | SecurityException gone) {
                    continue; // gone meanwhile, or another user's
                }
                valueOf(env, prefix).filter(wanted).flatMap(v -> ProcessHandle.of(pid)).filter(ProcessTree::isRunning).ifPresent(found::add);
            }
        } catch (IOException e) {
            return Set.of();
        }
        return found;
    }

    /** The value of the NUL-separated entry that starts with {@code prefix} ({@code NAME=}), if there is one. */
    private static Optional<String> valueOf(byte[] env, byte[] prefix) {
        int start = 0;
        while (start < env.length) {
            int end = start;
            while (end < env.length && env[end] != 0) {
                end++;
            }
            if (end - start >= prefix.length && java.util.Arrays.equals(env, start, start + prefix.length, prefix, 0, prefix.length)) {
                return Optional.of(new String(env, start + prefix.length, end - start - prefix.length, java.nio.charset.StandardCharsets.UTF_8));
            }
            start = end + 1;
        }
        return Optional.empty();
    }

    /** Alive and not a zombie: {@link ProcessHandle#isAlive()} is true for zombies. */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        if (!Os.LINUX) {
            return true;
        }
        return stat(process.pid()).map(s -> !s.zombie()).orElse(false);
    }

    /** On Linux, the processes whose session id is this pid: the session it leads or led. Elsewhere none. */
    private static Set<ProcessHandle> sessionMembers(long sessionId) {
        if (!Os.LINUX) {
            return Set.of();
        }
        Set<Long> pids = new LinkedHashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcessTree::isPidFolder)) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                // A member was forked after its session's leader, so its pid is not lower (the kernel hands out
                // pids upwards and wraps only after pid_max, 4M on 64-bit): skip reading the older processes'
                // stat files, which made this scan the costliest part of ending a session.
                if (pid >= sessionId) {
                    stat(pid).filter(s -> s.session() == sessionId).ifPresent(s -> pids.add(pid));
                }
            }
        } catch (IOException e) {
            // /proc unreadable (hardened mount): descendants are all we can find then.
            return Set.of();
        }
        return pids.stream().map(ProcessHandle::of).flatMap(Optional::stream).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static boolean isPidFolder(Path entry) {
        String name = entry.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /** The fields of /proc/PID/stat we need. */
    private record Stat(char state, long session) {
        boolean zombie() {
            return state == 'Z' || state == 'X';
        }
    }

    /** Reads /proc/PID/stat; empty when the process is gone. */
    private static Optional<Stat> stat(long pid) {
        String line;
        try {
            line = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
        } catch (IOException e) {
            return Optional.empty();
        }
        // The command name in parentheses may itself contain spaces and parentheses: fields start after the last ')'.
        int afterName = line.lastIndexOf(')');
        if (afterName < 0) {
            return Optional.empty();
        }
        String[] fields = line.substring(afterName + 2).split(" ", 5);
        if (fields.length < 5) {
            return Optional.empty();
        }
        // state ppid pgrp session ...
        return Optional.of(new Stat(fields[0].charAt(0), Long.parseLong(fields[3])));
    }

    /**
     * CPU a process has used, with that of its children it has already waited for (on Linux from
     * /proc/PID/stat: utime, stime, cutime, cstime at 100 ticks a second; elsewhere its own only).
     */
    public static Duration cpuIncludingChildren(ProcessHandle process) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(process.pid())).resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return Duration.ofMillis(ticks * 10);
        } catch (IOException | RuntimeException e) {
            return process.info().totalCpuDuration().orElse(Duration.ZERO);
        }
    }
}
