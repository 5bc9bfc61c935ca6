package dev.controlroom.ui.detail;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.Dag;
import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.Price;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.RunTask;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskState;
import dev.controlroom.store.Store;
import dev.controlroom.ui.MainViewModel;
import dev.controlroom.ui.PaneLoader;
import dev.controlroom.ui.tasks.TaskRow;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The selected task in depth: its definition, its state in the newest run, every attempt (session)
 * with its QA verdicts and their evidence; and the per-task run controls, which the tasks pane's
 * context menu uses too. Whether a control makes sense is judged from the task's status and the
 * run's state, which the window already holds, so menus and buttons never wait for the database.
 */
public final class TaskDetailViewModel implements PaneLoader<Optional<TaskDetailViewModel.Detail>> {
    private static final Set<String> RETRYABLE = Set.of("failed", "needs_decision", "cancelled");
    private static final Set<String> SKIPPABLE = Set.of("pending", "ready", "running", "retry_wait", "failed", "blocked",
            "needs_decision", "parked");
    private static final Set<String> CANCELLABLE = Set.of("pending", "ready", "running", "retry_wait", "blocked", "needs_decision",
            "parked");
    private static final Set<String> REASSIGNABLE = Set.of("pending", "ready", "running", "retry_wait", "needs_decision", "parked",
            "failed");
    private static final Set<String> VERIFIABLE = Set.of("succeeded", "failed", "needs_decision", "cancelled", "retry_wait", "parked",
            "blocked", "skipped");

    /** One session of the task: who ran it, how it ended, its iterations with their checks, its tokens. */
    public record Attempt(SessionRecord session, Optional<String> agent, List<IterationRecord> iterations, Price.Tokens tokens,
                          Optional<Double> cost) {
    }

    /** Everything the pane shows about one task. */
    public record Detail(StoredTask task, int wave, Optional<RunSummary> run, Optional<RunTask> runTask, Optional<String> agent,
                         List<Attempt> attempts) {
        /** The task's state in the newest run, or "not run". */
        public String state() {
            return runTask.map(t -> t.state().id()).orElse("not run");
        }

        /** The session running now, if there is one. */
        public Optional<SessionRecord> openSession() {
            return attempts.stream().map(Attempt::session).filter(SessionRecord::isOpen).reduce((a, b) -> b);
        }

        /** A failed critical task holds its run for a person's decision. */
        public boolean awaitsDecision() {
            return runTask.map(t -> t.state() == TaskState.NEEDS_DECISION).orElse(false);
        }
    }

    private final MainViewModel main;
    private final ReadOnlyObjectWrapper<Optional<Detail>> detail = new ReadOnlyObjectWrapper<>(Optional.empty());

    public TaskDetailViewModel(MainViewModel main) {
        this.main = main;
        main.addLoader(this);
    }

    /** The selected task's detail, empty when no task is selected. */
    public ReadOnlyObjectProperty<Optional<Detail>> detailProperty() {
        return detail.getReadOnlyProperty();
    }

    @Override
    public Optional<Detail> load(Store store, Context context) {
        if (context.selectedTaskId().isEmpty() || context.plan().isEmpty()) {
            return Optional.empty();
        }
        long taskId = context.selectedTaskId().get();
        List<StoredTask> tasks = store.plans().tasksOf(context.plan().get().id());
        Optional<StoredTask> task = tasks.stream().filter(t -> t.id() == taskId).findFirst();
        if (task.isEmpty()) {
            return Optional.empty();
        }
        int wave = Dag.ofTasks(tasks.stream().map(StoredTask::spec).toList()).waves().getOrDefault(task.get().key(), 0);
        Map<Long, String> agentNames = new HashMap<>();
        store.agents().listAll().forEach(a -> agentNames.put(a.id(), a.name()));
        Optional<RunSummary> run = context.run();
        Optional<RunTask> runTask = run.flatMap(r -> store.runs().tasks(r.id()).stream().filter(t -> t.taskId() == taskId).findFirst());
        List<Attempt> attempts = List.of();
        if (run.isPresent()) {
            List<Price> prices = store.prices().list();
            Map<String, Map<String, Price.Tokens>> tokens = store.runs().tokensBySession(run.get().id());
            attempts = store.runs().sessions(run.get().id()).stream().filter(s -> s.taskId() == taskId)
                    .map(s -> attempt(store, s, agentNames, tokens.getOrDefault(s.id(), Map.of()), prices)).toList();
        }
        Optional<String> agent = runTask.flatMap(RunTask::agentId).map(agentNames::get)
                .or(() -> task.get().spec().agent().or(() -> task.get().spec().profile()));
        return Optional.of(new Detail(task.get(), wave, run, runTask, agent, attempts));
    }

    private static Attempt attempt(Store store, SessionRecord s, Map<Long, String> agentNames, Map<String, Price.Tokens> byModel,
                                   List<Price> prices) {
        Price.Tokens total = byModel.values().stream().reduce(Price.Tokens.NONE, Price.Tokens::plus);
        // The estimate needs a price for every model used; an unknown model leaves it unknown rather than low.
        Optional<Double> cost = Optional.of(0.0);
        for (Map.Entry<String, Price.Tokens> e : byModel.entrySet()) {
            Optional<Price> price = Price.forModel(prices, e.getKey());
            cost = price.isEmpty() ? Optional.empty() : cost.map(c -> c + price.get().cost(e.getValue()));
        }
        return new Attempt(s, s.agentId().map(agentNames::get), store.runs().iterations(s.id()), total,
                byModel.isEmpty() ? Optional.empty() : cost);
    }

    @Override
    public void apply(Optional<Detail> loaded) {
        detail.set(loaded);
    }

    // ---------------------------------------------------------------------------------- controls

    private Optional<RunSummary> run() {
        return main.lastRunProperty().get();
    }

    /**
     * The row of the same task from the newest load: the selection keeps the row it was made with,
     * whose status may be several refreshes old.
     */
    public TaskRow current(TaskRow row) {
        return main.tasks().rows().stream().filter(r -> r.task().id() == row.task().id()).findFirst().orElse(row);
    }

    private boolean runOpen() {
        return run().map(r -> !r.state().isFinished()).orElse(false);
    }

    /** A failed run can be reopened for a retry; a cancelled one cannot. */
    public boolean canRetry(TaskRow row) {
        row = current(row);
        return run().map(r -> r.state() != RunState.CANCELLED).orElse(false) && RETRYABLE.contains(row.status());
    }

    public boolean canSkip(TaskRow row) {
        row = current(row);
        return runOpen() && SKIPPABLE.contains(row.status());
    }

    public boolean canCancel(TaskRow row) {
        row = current(row);
        return runOpen() && CANCELLABLE.contains(row.status());
    }

    public boolean canReassign(TaskRow row) {
        row = current(row);
        return runOpen() && REASSIGNABLE.contains(row.status());
    }

    /** Verification needs a finished session (its directory) and verify commands. */
    public boolean canVerify(TaskRow row) {
        row = current(row);
        return run().isPresent() && !row.task().spec().verify().isEmpty() && VERIFIABLE.contains(row.status());
    }

    public boolean canTerminate(TaskRow row) {
        row = current(row);
        return runOpen() && row.status().equals("running");
    }

    /** Retries the task; the engine reopens a failed run for it. */
    public void retry(TaskRow row) {
        run().ifPresent(r -> main.control(main.orchestrator().retryTask(r.id(), row.key())));
    }

    public void skip(TaskRow row) {
        run().ifPresent(r -> main.control(main.orchestrator().skipTask(r.id(), row.key())));
    }

    public void cancel(TaskRow row) {
        run().ifPresent(r -> main.control(main.orchestrator().cancelTask(r.id(), row.key())));
    }

    public void reassign(TaskRow row, String agentName) {
        run().ifPresent(r -> main.control(main.orchestrator().reassignTask(r.id(), row.key(), agentName)));
    }

    /** Runs the task's verify commands again on its newest session's directory; the verdict shows up as an iteration. */
    public void verify(TaskRow row) {
        run().ifPresent(r -> main.control(main.orchestrator().verifyTask(r.id(), row.key())));
    }

    /** Ends the task's running session; the attempt counts as failed. */
    public void terminate(TaskRow row) {
        Optional<String> session = detail.get().filter(d -> d.task().id() == row.task().id()).flatMap(Detail::openSession)
                .map(SessionRecord::id);
        main.control(session.map(id -> main.orchestrator().terminateSession(id))
                .orElseGet(() -> CompletableFuture.failedFuture(new IllegalStateException("task " + row.key() + " has no running session"))));
    }

    /** Cancels the whole run (the third answer to a failed critical task). */
    public void cancelRun() {
        run().ifPresent(r -> main.control(main.orchestrator().cancel(r.id())));
    }

    /** Active agents' names, for the reassign menu. */
    public List<String> activeAgents() {
        return main.agents().roster().stream().filter(Agent::active).map(Agent::name).toList();
    }
}
