package dev.controlroom.ui.detail;

import dev.controlroom.domain.Dag;
import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.CostEstimate;
import dev.controlroom.domain.Price;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.RunTask;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.TaskState;
import dev.controlroom.store.Store;
import dev.controlroom.ui.common.PaneLoader;
import dev.controlroom.ui.common.TaskRow;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The selected task in depth: its definition, its state in the newest run, every attempt (session)
 * with its QA verdicts and their evidence. Its run controls are the window's
 * {@link dev.controlroom.ui.common.SelectedTaskControls}, shared with the tasks pane.
 */
public final class TaskDetailViewModel implements PaneLoader<Optional<TaskDetailViewModel.Detail>> {
    /** One session of the task: who ran it, how it ended, its iterations with their checks, its tokens. */
    public record Attempt(SessionRecord session, Optional<String> agent, List<IterationRecord> iterations, Price.Tokens tokens,
                          CostEstimate cost) {
        /** "12,345 tokens · cost ≈ $0.0421; not priced: 2,000 tokens of model gpt-9", or "" before any token. */
        public String tokensText() {
            if (tokens.total() == 0) {
                return "";
            }
            String estimate = cost.describe(4);
            return String.format(Locale.ROOT, "%,d tokens", tokens.total()) + (estimate.isEmpty() ? "" : " · cost " + estimate);
        }

    }

    /** Everything the pane shows about one task. */
    public record Detail(StoredTask task, int wave, Optional<RunSummary> run, Optional<RunTask> runTask, Optional<String> agent,
                         List<Attempt> attempts) {
        /** The task's state in the newest run, or {@link TaskRow#NOT_RUN}. */
        public String state() {
            return runTask.map(t -> t.state().id()).orElse(TaskRow.NOT_RUN);
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

    private final ReadOnlyObjectWrapper<Optional<Detail>> detail = new ReadOnlyObjectWrapper<>(Optional.empty());
    private final ReadOnlyBooleanWrapper shown = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper key = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper meta = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper awaitsDecision = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper decision = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper attemptsTitle = new ReadOnlyStringWrapper("Attempts");

    /** The selected task's detail, empty when no task is selected. */
    public ReadOnlyObjectProperty<Optional<Detail>> detailProperty() {
        return detail.getReadOnlyProperty();
    }

    /** Whether a task's detail is shown (else the pane says to select one). */
    public ReadOnlyBooleanProperty shownProperty() {
        return shown.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty keyProperty() {
        return key.getReadOnlyProperty();
    }

    /** The task's state in the newest run, or {@link TaskRow#NOT_RUN}. */
    public ReadOnlyStringProperty stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** "agent any · wave 2 · priority 5 · lane api · critical · run r-1 (running)". */
    public ReadOnlyStringProperty metaProperty() {
        return meta.getReadOnlyProperty();
    }

    /** A failed critical task holds its run for a person's decision. */
    public ReadOnlyBooleanProperty awaitsDecisionProperty() {
        return awaitsDecision.getReadOnlyProperty();
    }

    /** Why the run waits for a decision, and the three answers; empty when it does not wait. */
    public ReadOnlyStringProperty decisionProperty() {
        return decision.getReadOnlyProperty();
    }

    /** "Attempts (3) in run r-1". */
    public ReadOnlyStringProperty attemptsTitleProperty() {
        return attemptsTitle.getReadOnlyProperty();
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
        return new Attempt(s, s.agentId().map(agentNames::get), store.runs().iterations(s.id()), total,
                CostEstimate.of(prices, byModel, Optional.empty()));
    }

    @Override
    public void apply(Optional<Detail> loaded) {
        loaded.ifPresent(d -> {
            TaskSpec spec = d.task().spec();
            key.set(d.task().key());
            state.set(d.state());
            title.set(spec.title());
            meta.set(String.join(" · ", List.of("agent " + d.agent().orElse("any"), "wave " + d.wave(), "priority " + spec.priority()))
                    + spec.category().map(c -> " · lane " + c).orElse("") + (spec.critical() ? " · critical" : "")
                    + d.run().map(r -> " · run " + r.id() + " (" + r.state().id() + ")").orElse(" · not run yet"));
            awaitsDecision.set(d.awaitsDecision());
            decision.set(d.awaitsDecision() ? "Critical task failed: " + d.runTask().flatMap(RunTask::reason).orElse("no reason recorded")
                    + ". The run is paused until you retry the task, skip it or cancel the run." : "");
            attemptsTitle.set("Attempts" + (d.attempts().isEmpty() ? "" : " (" + d.attempts().size() + ")")
                    + d.run().map(r -> " in run " + r.id()).orElse(""));
        });
        detail.set(loaded);
        shown.set(loaded.isPresent());
    }

    /** The open session of {@code row}'s task in the detail shown, for ending it. */
    public Optional<String> openSession(TaskRow row) {
        return detail.get().filter(d -> d.task().id() == row.task().id()).flatMap(Detail::openSession).map(SessionRecord::id);
    }
}
