package dev.controlroom.ui.common;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.TaskControls;
import dev.controlroom.orchestrator.Orchestrator;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The run controls of the selected task, shared by the task detail and the tasks pane's menus:
 * which of them make sense now, as properties the buttons bind to, and the commands. Whether a
 * control makes sense is judged from the task's status ({@link TaskControls}, the engine's own
 * rules) and the run's state, which the window already holds, so nothing waits for the database.
 */
public final class SelectedTaskControls {
    /**
     * What the controls act through: the engine; the newest run; the selection and the rows of the
     * newest load; the window's way of running a control (errors shown, panes refreshed); the open
     * session of a task, if any; the roster.
     */
    public record Services(Orchestrator orchestrator, ReadOnlyObjectProperty<Optional<RunSummary>> lastRun,
                           ObjectProperty<TaskRow> selected, ObservableList<TaskRow> rows, Consumer<CompletableFuture<?>> control,
                           Function<TaskRow, Optional<String>> openSession, Supplier<List<Agent>> roster) {
    }

    private final Services services;
    private final ReadOnlyBooleanWrapper canRetry = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper canSkip = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper canCancel = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper canReassign = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper canVerify = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper canTerminate = new ReadOnlyBooleanWrapper();

    public SelectedTaskControls(Services services) {
        this.services = services;
        services.selected().addListener((obs, old, now) -> update());
        services.lastRun().addListener((obs, old, now) -> update());
        services.rows().addListener((ListChangeListener<TaskRow>) c -> update());
        update();
    }

    /** A failed run can be reopened for a retry; a cancelled one cannot. */
    public ReadOnlyBooleanProperty canRetryProperty() {
        return canRetry.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canSkipProperty() {
        return canSkip.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canCancelProperty() {
        return canCancel.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canReassignProperty() {
        return canReassign.getReadOnlyProperty();
    }

    /** Verification needs a finished session (its directory) and verify commands. */
    public ReadOnlyBooleanProperty canVerifyProperty() {
        return canVerify.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canTerminateProperty() {
        return canTerminate.getReadOnlyProperty();
    }

    /**
     * The selected task as the newest load has it: the selection keeps the row it was made with,
     * whose status may be several refreshes old.
     */
    public Optional<TaskRow> selected() {
        return Optional.ofNullable(services.selected().get())
                .map(row -> services.rows().stream().filter(r -> r.task().id() == row.task().id()).findFirst().orElse(row));
    }

    private void update() {
        Optional<RunSummary> run = services.lastRun().get();
        boolean open = run.map(r -> !r.state().isFinished()).orElse(false);
        Optional<TaskRow> row = selected();
        TaskControls allowed = row.map(TaskRow::controls).orElse(TaskControls.NONE);
        canRetry.set(run.map(r -> r.state() != RunState.CANCELLED).orElse(false) && allowed.retry());
        canSkip.set(open && allowed.skip());
        canCancel.set(open && allowed.cancel());
        canReassign.set(open && allowed.reassign());
        canVerify.set(run.isPresent() && row.map(r -> !r.task().spec().verify().isEmpty()).orElse(false) && allowed.verify());
        canTerminate.set(open && allowed.terminate());
    }

    /** Retries the selected task; the engine reopens a failed run for it. */
    public void retry() {
        act(row -> services.orchestrator().retryTask(runId(), row.key()));
    }

    public void skip() {
        act(row -> services.orchestrator().skipTask(runId(), row.key()));
    }

    public void cancel() {
        act(row -> services.orchestrator().cancelTask(runId(), row.key()));
    }

    public void reassign(String agentName) {
        act(row -> services.orchestrator().reassignTask(runId(), row.key(), agentName));
    }

    /** Runs the task's verify commands again on its newest session's directory; the verdict shows up as an iteration. */
    public void verify() {
        act(row -> services.orchestrator().verifyTask(runId(), row.key()));
    }

    /** Ends the selected task's running session; the attempt counts as failed. */
    public void terminate() {
        selected().ifPresent(row -> services.control().accept(services.openSession().apply(row)
                .map(id -> services.orchestrator().terminateSession(id))
                .orElseGet(() -> CompletableFuture.failedFuture(new IllegalStateException("task " + row.key() + " has no running session")))));
    }

    /** Cancels the whole run (the third answer to a failed critical task). */
    public void cancelRun() {
        services.lastRun().get().ifPresent(r -> services.control().accept(services.orchestrator().cancel(r.id())));
    }

    /** Active agents, for the reassign menus. */
    public List<Agent> activeAgents() {
        return services.roster().get().stream().filter(Agent::active).toList();
    }

    private String runId() {
        return services.lastRun().get().orElseThrow().id();
    }

    /** Runs {@code action} on the selected task when there is one and the list has been run. */
    private void act(Function<TaskRow, CompletableFuture<?>> action) {
        if (services.lastRun().get().isPresent()) {
            selected().ifPresent(row -> services.control().accept(action.apply(row)));
        }
    }
}
