package dev.controlroom.cli;

import dev.controlroom.domain.Event;
import dev.controlroom.domain.Severity;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Shows a run's progress on stderr: a live bar per wave and overall on a terminal, plain
 * timestamped lines otherwise (logs, CI, pipes).
 */
final class Progress implements Consumer<List<Event>> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int BAR = 24;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final PrintWriter err;
    private final boolean live;
    private final Map<Integer, int[]> waves = new TreeMap<>(); // wave -> {done, total}
    private final Map<Long, Integer> waveOf = new java.util.HashMap<>();
    private int total;
    private int done;
    private int drawnLines;
    private long lastDraw;

    Progress(PrintWriter err, boolean live, Map<Integer, Integer> waveSizes) {
        this.err = err;
        this.live = live;
        waveSizes.forEach((w, n) -> waves.put(w, new int[] {0, n}));
        this.total = waveSizes.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** True when stderr is most likely a terminal a person watches. */
    static boolean isInteractive() {
        var console = System.console();
        String term = System.getenv("TERM");
        return console != null && console.isTerminal() && term != null && !term.equals("dumb") && System.getenv("CI") == null;
    }

    @Override
    public synchronized void accept(List<Event> events) {
        for (Event e : events) {
            count(e);
            if (!live && e.severity() != Severity.DEBUG) {
                err.println(TIME.format(e.at()) + "  " + e.message());
            }
        }
        if (live) {
            long now = System.nanoTime();
            boolean finished = events.stream().anyMatch(e -> e.type().isRunLevel());
            if (finished || now - lastDraw > 80_000_000L) {
                lastDraw = now;
                draw(events);
            }
        } else {
            err.flush();
        }
    }

    private void count(Event e) {
        String to;
        String from;
        try {
            var payload = JSON.readTree(e.payload());
            to = payload.path("to").asText("");
            from = payload.path("from").asText("");
        } catch (java.io.IOException ex) {
            return;
        }
        if (!e.type().isTaskLevel() || e.taskId().isEmpty()) {
            return;
        }
        boolean terminalNow = to.equals("succeeded") || to.equals("failed") || to.equals("blocked") || to.equals("skipped")
                || to.equals("cancelled");
        boolean terminalBefore = from.equals("succeeded") || from.equals("failed") || from.equals("blocked")
                || from.equals("skipped") || from.equals("cancelled");
        Integer wave = waveOf.get(e.taskId().get());
        if (terminalNow && !terminalBefore) {
            done++;
            if (wave != null) {
                waves.get(wave)[0]++;
            }
        } else if (terminalBefore && !terminalNow) {
            done--;
            if (wave != null) {
                waves.get(wave)[0]--;
            }
        }
    }

    void taskWave(long taskId, int wave) {
        waveOf.put(taskId, wave);
    }

    /** Counts a task that was already finished before this progress started (a resumed run). */
    synchronized void alreadyDone(long taskId) {
        done++;
        Integer wave = waveOf.get(taskId);
        if (wave != null) {
            waves.get(wave)[0]++;
        }
    }

    private void draw(List<Event> events) {
        StringBuilder sb = new StringBuilder();
        if (drawnLines > 0) {
            sb.append("\u001B[").append(drawnLines).append("F"); // back to the first line of the block
        }
        for (Event e : events) {
            if (e.severity().compareTo(Severity.WARNING) >= 0 || e.type().isRunLevel()) {
                sb.append("\u001B[2K").append(TIME.format(e.at())).append("  ").append(e.message()).append('\n');
            }
        }
        int lines = 0;
        for (var w : waves.entrySet()) {
            sb.append("\u001B[2K").append(bar("wave " + w.getKey(), w.getValue()[0], w.getValue()[1])).append('\n');
            lines++;
        }
        sb.append("\u001B[2K").append(bar("overall", done, total)).append('\n');
        drawnLines = lines + 1;
        err.print(sb);
        err.flush();
    }

    private static String bar(String label, int done, int total) {
        int filled = total == 0 ? BAR : done * BAR / total;
        return String.format(Locale.ROOT, "%-8s [%s%s] %d/%d", label, "#".repeat(filled), "-".repeat(BAR - filled), done, total);
    }
}
