package dev.controlroom.app;

import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * Named moments of the start, in milliseconds since the exec of this process: the smoke start
 * prints them, so a slow start says where its time went (JVM, database, toolkit, window, data).
 * Any thread may mark; a mark is one clock read and one queue insert.
 */
public final class StartupMarks {
    private record Mark(String name, long epochMillis, String thread) {
    }

    private static final ConcurrentLinkedQueue<Mark> MARKS = new ConcurrentLinkedQueue<>();

    private StartupMarks() {
    }

    private static final java.util.Set<String> ONCE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public static void mark(String name) {
        MARKS.add(new Mark(name, System.currentTimeMillis(), Thread.currentThread().getName()));
    }

    /** Marks {@code name} the first time only: for a step that repeats later (a refresh) but counts at the start. */
    public static void markOnce(String name) {
        if (ONCE.add(name)) {
            mark(name);
        }
    }

    /**
     * The exec of this process in epoch milliseconds: {@code CONTROL_ROOM_EXEC_MS} when whoever
     * started us gave it (the start-up measurement does), or else the process's start time as the
     * OS reports it (10 ms ticks on Linux).
     */
    public static Optional<Long> execMillis() {
        Optional<Long> given = Optional.ofNullable(System.getenv("CONTROL_ROOM_EXEC_MS")).flatMap(value -> {
            try {
                return Optional.of(Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
        return given.or(() -> ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli));
    }

    /** Milliseconds from the exec of this process to now, when the exec time is known. */
    public static Optional<Long> sinceExec() {
        long now = System.currentTimeMillis();
        return execMillis().map(exec -> now - exec);
    }

    /** One line: each mark so far with its time since exec and the thread that took it, in the order taken. */
    public static String report() {
        long zero = execMillis().orElseGet(() -> MARKS.isEmpty() ? 0 : MARKS.peek().epochMillis());
        return MARKS.stream().map(m -> m.name() + " " + (m.epochMillis() - zero) + " [" + m.thread() + "]")
                .collect(Collectors.joining(", ", "ms since exec: ", ""));
    }
}
