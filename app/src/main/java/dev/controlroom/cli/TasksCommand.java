package dev.controlroom.cli;

import dev.controlroom.domain.Dag;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code tasks}: the tasks of a task list, with their waves. */
@Command(name = "tasks", mixinStandardHelpOptions = true, description = "List the tasks of a task list (default: the newest) with their waves.")
public final class TasksCommand extends StoreCommand {
    @Option(names = "--plan", paramLabel = "ID", description = "The task list's id (see the first column of --lists).")
    Long planId;

    @Option(names = "--lists", description = "List the task lists instead.")
    boolean lists;

    @Override
    int run(Store store, PrintWriter out, PrintWriter err) {
        List<PlanSummary> plans = store.plans().list();
        if (lists) {
            Table t = new Table("ID", "NAME", "TASKS", "MODE", "SOURCE");
            plans.forEach(p -> t.row(p.id(), p.name(), p.taskCount(), p.waveMode().id(), p.sourcePath().orElse("-")));
            t.print(out);
            return 0;
        }
        Optional<PlanSummary> plan = planId == null ? plans.stream().findFirst() : plans.stream().filter(p -> p.id() == planId).findFirst();
        if (plan.isEmpty()) {
            err.println(planId == null ? "error: there is no task list yet" : "error: no task list with id " + planId);
            return 1;
        }
        List<StoredTask> tasks = store.plans().tasksOf(plan.get().id());
        Map<String, Integer> waves = Dag.ofTasks(tasks.stream().map(StoredTask::spec).toList()).waves();
        out.println(plan.get().name() + " (" + tasks.size() + " tasks)");
        Table table = new Table("TASK", "WAVE", "PRIORITY", "AGENT", "DEPENDS ON", "COMMAND / PROMPT");
        for (StoredTask t : tasks) {
            String work = t.spec().command().or(() -> t.spec().prompt()).orElse("");
            table.row(t.key(), waves.get(t.key()), t.spec().priority(), t.spec().agent().or(() -> t.spec().profile()).orElse("any"),
                    String.join(",", t.spec().dependsOn()), work.length() > 60 ? work.substring(0, 57) + "..." : work);
        }
        table.print(out);
        return 0;
    }
}
