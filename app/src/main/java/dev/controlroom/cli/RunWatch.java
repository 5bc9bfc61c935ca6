package dev.controlroom.cli;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.Dag;
import dev.controlroom.domain.StoredTask;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** Follows a run to its end on the command line and reports it; shared by {@code run} and {@code resume}. */
final class RunWatch {
    private RunWatch() {
    }

    /** Blocks until the run finishes; prints the report; returns the process exit code. */
    /** The id of the newest stored event (0 when there is none): a run started after this look has only later ones. */
    static long newestEvent(dev.controlroom.store.Store store) {
        return store.events().latest(1).stream().mapToLong(dev.controlroom.domain.Event::id).findFirst().orElse(0L);
    }

    static int follow(ControlRoom room, String runId, PrintWriter out, PrintWriter err, boolean json, Progress progress)
            throws InterruptedException {
        RunSummary end;
        try {
            end = room.orchestrator().finished(runId).get();
        } catch (ExecutionException e) {
            err.println("error: " + e.getCause().getMessage());
            err.flush();
            return 1;
        }
        RunReport report = new RunReport(room.store(), end);
        if (json) {
            report.printJson(out);
        } else {
            out.println();
            report.printTable(out);
        }
        return report.exitCode();
    }

    /**
     * Follows a run another process's engine runs, by reading what it stores: progress from its
     * events, then the same summary and exit code as a run of this process.
     */
    static int followStored(dev.controlroom.store.Store store, String runId, long planId, long eventsBefore, PrintWriter out,
                            PrintWriter err, boolean json) throws InterruptedException {
        Progress progress = progressFor(store, planId, err);
        long seen = eventsBefore;
        while (true) {
            List<dev.controlroom.domain.Event> batch = store.events().after(seen, 1000);
            if (!batch.isEmpty()) {
                seen = batch.getLast().id();
                progress.accept(batch.stream().filter(e -> e.runId().equals(java.util.Optional.of(runId))).toList());
            }
            java.util.Optional<dev.controlroom.domain.RunSummary> run = store.runs().find(runId);
            if (run.isPresent() && run.get().state().isFinished() && batch.size() < 1000) {
                RunReport report = new RunReport(store, run.get());
                if (json) {
                    report.printJson(out);
                } else {
                    out.println();
                    report.printTable(out);
                }
                return report.exitCode();
            }
            if (batch.size() < 1000) {
                Thread.sleep(250);
            }
        }
    }

    /** Progress for a run of the task list, ready before the run starts so that it misses no event. */
    static Progress progressFor(ControlRoom room, long planId, PrintWriter err) {
        return progressFor(room.store(), planId, err);
    }

    static Progress progressFor(dev.controlroom.store.Store store, long planId, PrintWriter err) {
        List<StoredTask> tasks = store.plans().tasksOf(planId);
        Map<String, Integer> waveOf = Dag.ofTasks(tasks.stream().map(StoredTask::spec).toList()).waves();
        Map<Integer, Integer> sizes = new HashMap<>();
        waveOf.values().forEach(w -> sizes.merge(w, 1, Integer::sum));
        Progress progress = new Progress(err, Progress.isInteractive(), sizes);
        tasks.forEach(t -> progress.taskWave(t.id(), waveOf.get(t.key())));
        return progress;
    }
}
