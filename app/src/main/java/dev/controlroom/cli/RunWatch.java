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

    /** Progress for a run of the task list, ready before the run starts so that it misses no event. */
    static Progress progressFor(ControlRoom room, long planId, PrintWriter err) {
        List<StoredTask> tasks = room.store().plans().tasksOf(planId);
        Map<String, Integer> waveOf = Dag.ofTasks(tasks.stream().map(StoredTask::spec).toList()).waves();
        Map<Integer, Integer> sizes = new HashMap<>();
        waveOf.values().forEach(w -> sizes.merge(w, 1, Integer::sum));
        Progress progress = new Progress(err, Progress.isInteractive(), sizes);
        tasks.forEach(t -> progress.taskWave(t.id(), waveOf.get(t.key())));
        return progress;
    }
}
