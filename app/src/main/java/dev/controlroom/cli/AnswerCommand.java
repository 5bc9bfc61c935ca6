package dev.controlroom.cli;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code answer RUN TASK TEXT}: answers a waiting agent through the engine that runs the database (the window, serve). */
@Command(name = "answer", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Answer the question a task's agent asked: the answer continues that agent's own session.%n"
                + "Goes to the engine that runs the database (the window, the tray or `serve`) through its local API.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the answer was passed on", "1:the engine refused it (the task is not waiting, ...)", "2:usage, unknown run or task",
                "3:no engine runs this database, or it could not be reached"})
public final class AnswerCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
    String runId;

    @Parameters(index = "1", paramLabel = "TASK", description = "The task's id in the plan.")
    String taskKey;

    @Parameters(index = "2", paramLabel = "TEXT", description = "The answer.")
    String text;

    @Mixin
    DatabaseOption db = new DatabaseOption();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Store store = ControlRoom.openStore(db.database())) {
            Optional<RunSummary> run = store.runs().find(runId);
            if (run.isEmpty()) {
                err.println("error: no run " + runId + " in " + store.file());
                return 2;
            }
            Optional<StoredTask> task = store.plans().tasksOf(run.get().planId()).stream().filter(t -> t.key().equals(taskKey)).findFirst();
            if (task.isEmpty()) {
                err.println("error: run " + runId + " has no task '" + taskKey + "'");
                return 2;
            }
            Optional<EngineClient> engine = EngineClient.find(store);
            boolean engineRuns = store.leases().holder().filter(h -> java.time.Duration.between(h.renewed(), java.time.Instant.now())
                    .compareTo(dev.controlroom.store.EngineLeaseStore.SILENCE) < 0).isPresent();
            if (engine.isEmpty() || !engineRuns) {
                err.println("error: no Control Room engine runs " + store.file() + ": open the window on it, or start `control-room serve --db "
                        + store.file() + "`, then answer (the question waits)");
                return 3;
            }
            EngineClient.Answer answer;
            try {
                answer = engine.get().post("/api/tasks/" + task.get().id() + "/answer", Map.of("text", text));
            } catch (java.io.IOException e) {
                err.println("error: the engine at " + engine.get().address() + " could not be reached: " + e.getMessage());
                return 3;
            }
            if (!answer.ok()) {
                err.println("error: " + answer.detail());
                return answer.status() == 404 || answer.status() == 400 ? 2 : 1;
            }
            out.println("answered task " + taskKey + " of run " + runId);
            return 0;
        }
    }
}
