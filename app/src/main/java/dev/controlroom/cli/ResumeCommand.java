package dev.controlroom.cli;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.app.Logging;
import dev.controlroom.domain.Failures;
import dev.controlroom.domain.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/** {@code resume [RUN_ID]}: continue an interrupted run where it stopped. */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Continue an unfinished run (after a crash, a stop or a closed window) and follow it to the end.%n"
                + "Completed tasks are not run again; sessions whose process is gone are marked interrupted and their tasks "
                + "queued again (the attempt counts); processes the old run left behind are ended.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every task succeeded", "1:a task failed or was blocked, or the run cannot be resumed",
                "2:usage", "3:the database could not be opened"})
public final class ResumeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_ID", arity = "0..1", description = "The run (default: the newest unfinished one).")
    String runId;

    @Mixin
    DatabaseOption db = new DatabaseOption();

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Logging.configure(db.logFolder(), db.verbose);
        try (ControlRoom room = ControlRoom.open(db.database()).closeOnShutdown()) {
            Optional<RunSummary> target = runId != null ? room.store().runs().find(runId)
                    : room.store().runs().unfinished().stream().findFirst();
            if (target.isEmpty()) {
                err.println(runId != null ? "error: no run with id " + runId : "error: there is no unfinished run to resume");
                return 1;
            }
            RunSummary run = target.get();
            Progress progress = RunWatch.progressFor(room, run.planId(), err);
            room.store().runs().tasks(run.id()).stream().filter(t -> t.state().isTerminal())
                    .forEach(t -> progress.alreadyDone(t.taskId()));
            room.orchestrator().addListener(progress);
            try {
                room.orchestrator().resume(run.id()).get();
            } catch (ExecutionException e) {
                err.println("error: " + Failures.rootMessage(e));
                return 1;
            }
            err.println("run " + run.id() + " resumed (" + run.planName() + ")");
            err.flush();
            return RunWatch.follow(room, run.id(), out, err, json, progress);
        }
    }
}
