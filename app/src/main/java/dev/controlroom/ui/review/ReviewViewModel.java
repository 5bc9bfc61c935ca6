package dev.controlroom.ui.review;

import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskState;
import dev.controlroom.orchestrator.port.WorktreeReview;
import dev.controlroom.orchestrator.port.WorktreeReview.ChangedFile;
import dev.controlroom.store.Store;
import dev.controlroom.ui.common.PaneLoader;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Review tab's state: which task is reviewed, what it changed, the diff of the chosen file,
 * and the long git actions (merge, squash, discard, open) that run on the git executor with a
 * progress text and a Cancel. Finds its task on every refresh as a {@link PaneLoader}; reads git
 * only when the task, its session or its state changed, or when asked.
 */
public final class ReviewViewModel implements PaneLoader<ReviewViewModel.Found> {
    static final String NO_TASK = "Select a task that ran in a worktree to review its changes.";
    static final String NO_CHANGES = "This task has not changed any file.";

    /** What a refresh found about the selected task: a worktree to review, or why there is none. */
    public sealed interface Found {
        record Nothing(String why) implements Found {
        }

        record Task(WorktreeReview.Target target, TaskState state) implements Found {
        }
    }

    private final Optional<WorktreeReview> port;
    private final Executor git;
    private final Executor fx;
    private final Function<String, Optional<String>> settings;
    private final ExternalTools tools;

    private final ReadOnlyStringWrapper emptyMessage = new ReadOnlyStringWrapper(NO_TASK);
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper branches = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ObservableList<ChangedFile> files = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Optional<ChangedFile>> selectedFile = new ReadOnlyObjectWrapper<>(Optional.empty());
    private final ReadOnlyStringWrapper diffTitle = new ReadOnlyStringWrapper("");
    private final ObservableList<DiffLine> diffRows = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Syntax.Language> language = new ReadOnlyObjectWrapper<>(Syntax.Language.PLAIN_TEXT);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper busyText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper confirmingDiscard = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper taskRunning = new ReadOnlyBooleanWrapper();
    private final ReadOnlyObjectWrapper<Optional<WorktreeReview.Changes>> changes = new ReadOnlyObjectWrapper<>(Optional.empty());

    private Found current = new Found.Nothing(NO_TASK);
    /** Bumped whenever the reviewed task changes: a late answer about an earlier task is dropped. */
    private long generation;
    private Optional<Job> running = Optional.empty();

    public ReviewViewModel(Optional<WorktreeReview> port, Executor git, Executor fx, Function<String, Optional<String>> settings,
                           ExternalTools tools) {
        this.port = port;
        this.git = git;
        this.fx = fx;
        this.settings = settings;
        this.tools = tools;
        if (port.isEmpty()) {
            emptyMessage.set("Reviewing is not available in this window: it was opened without git access.");
        }
    }

    // ------------------------------------------------------------------------------ properties

    /** Why there is nothing to review; empty while a task's changes are shown. */
    public ReadOnlyStringProperty emptyMessageProperty() {
        return emptyMessage.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** "cr/run/task → main". */
    public ReadOnlyStringProperty branchesProperty() {
        return branches.getReadOnlyProperty();
    }

    /** Commits ahead, files, lines added and removed, uncommitted files. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ObservableList<ChangedFile> files() {
        return FXCollections.unmodifiableObservableList(files);
    }

    public ReadOnlyObjectProperty<Optional<ChangedFile>> selectedFileProperty() {
        return selectedFile.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty diffTitleProperty() {
        return diffTitle.getReadOnlyProperty();
    }

    public ObservableList<DiffLine> diffRows() {
        return FXCollections.unmodifiableObservableList(diffRows);
    }

    /** The language of the file whose diff is shown, for token colours. */
    public ReadOnlyObjectProperty<Syntax.Language> languageProperty() {
        return language.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty busyTextProperty() {
        return busyText.getReadOnlyProperty();
    }

    /** What the last action did, in words. */
    public ReadOnlyStringProperty resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Why the last action or read failed, in words. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** True while the Discard confirmation is showing. */
    public ReadOnlyBooleanProperty confirmingDiscardProperty() {
        return confirmingDiscard.getReadOnlyProperty();
    }

    /** True while the task's agent still works in the worktree: its changes are not final, nothing is merged or discarded. */
    public ReadOnlyBooleanProperty taskRunningProperty() {
        return taskRunning.getReadOnlyProperty();
    }

    /** Merge and squash: changes are there, the task is not running and nothing else is going on. */
    public BooleanBinding canMergeProperty() {
        return Bindings.createBooleanBinding(() -> !busy.get() && !taskRunning.get() && !files.isEmpty(), busy, taskRunning, files);
    }

    /** Discard: a worktree is there, the task is not running and nothing else is going on. */
    public BooleanBinding canDiscardProperty() {
        return Bindings.createBooleanBinding(() -> !busy.get() && !taskRunning.get() && changes.get().isPresent(), busy, taskRunning, changes);
    }

    /** Open in editor or terminal: a worktree is there. */
    public BooleanBinding canOpenProperty() {
        return Bindings.createBooleanBinding(() -> changes.get().isPresent(), changes);
    }

    // ------------------------------------------------------------------------------ refresh

    @Override
    public Found load(Store store, Context context) {
        if (context.selectedTaskId().isEmpty() || context.plan().isEmpty()) {
            return new Found.Nothing(NO_TASK);
        }
        long taskId = context.selectedTaskId().get();
        Optional<StoredTask> task = store.plans().tasksOf(context.plan().get().id()).stream().filter(t -> t.id() == taskId).findFirst();
        if (task.isEmpty()) {
            return new Found.Nothing(NO_TASK);
        }
        String key = task.get().key();
        if (!task.get().spec().context().worktree()) {
            return new Found.Nothing("Task " + key + " works in a shared folder, not in its own worktree, so there is nothing to review here. "
                    + "Select a task that ran in a worktree (context: worktree: true).");
        }
        if (context.run().isEmpty()) {
            return new Found.Nothing("Task " + key + " has not run yet. Select a task that ran in a worktree.");
        }
        String runId = context.run().get().id();
        Optional<SessionRecord> session = store.runs().sessions(runId).stream().filter(s -> s.taskId() == taskId).reduce((a, b) -> b);
        if (session.isEmpty() || session.get().branch().isEmpty()) {
            return new Found.Nothing("Task " + key + " has not run in the newest run (" + runId + ") yet.");
        }
        TaskState state = store.runs().tasks(runId).stream().filter(t -> t.taskId() == taskId).map(t -> t.state()).findFirst()
                .orElse(TaskState.PENDING);
        return new Found.Task(new WorktreeReview.Target(runId, taskId, key, Path.of(session.get().workingDir()), session.get().branch().get(),
                task.get().spec().context().branch()), state);
    }

    @Override
    public void apply(Found found) {
        if (found.equals(current) || port.isEmpty()) {
            return;
        }
        boolean sameTask = current instanceof Found.Task was && found instanceof Found.Task now && was.target().equals(now.target());
        current = found;
        if (!sameTask) {
            generation++;
            confirmingDiscard.set(false);
            result.set("");
            error.set("");
        }
        switch (found) {
            case Found.Nothing nothing -> {
                clear();
                emptyMessage.set(nothing.why());
            }
            case Found.Task task -> {
                taskRunning.set(task.state() == TaskState.RUNNING);
                reload();
            }
        }
    }

    /** Reads the reviewed task's changes again (after an action, or when a person asks). */
    public void reload() {
        if (!(current instanceof Found.Task task) || port.isEmpty()) {
            return;
        }
        long asked = generation;
        submit("Reading the changes of task " + task.target().taskKey() + "…", () -> port.get().changes(task.target()), loaded -> {
            if (asked == generation) {
                show(task, loaded);
            }
        }, failure -> {
            if (asked == generation) {
                clear();
                emptyMessage.set(failure);
            }
        });
    }

    private void show(Found.Task task, WorktreeReview.Changes c) {
        Optional<String> keep = selectedFile.get().map(ChangedFile::path);
        changes.set(Optional.of(c));
        title.set("Task " + task.target().taskKey());
        branches.set(c.taskBranch() + "  →  " + c.baseBranch());
        int added = c.files().stream().mapToInt(ChangedFile::added).sum();
        int removed = c.files().stream().mapToInt(ChangedFile::removed).sum();
        summary.set(c.commitsAhead() + (c.commitsAhead() == 1 ? " commit" : " commits") + " ahead · " + c.files().size()
                + (c.files().size() == 1 ? " file" : " files") + " · +" + added + " −" + removed
                + (c.uncommittedFiles() > 0 ? " · " + c.uncommittedFiles() + " uncommitted (committed first on merge)" : "")
                + (taskRunning.get() ? " · still running" : ""));
        files.setAll(c.files());
        emptyMessage.set(c.files().isEmpty() ? NO_CHANGES : "");
        Optional<ChangedFile> next = keep.flatMap(p -> c.files().stream().filter(f -> f.path().equals(p)).findFirst())
                .or(() -> c.files().stream().findFirst());
        selectedFile.set(Optional.empty());
        next.ifPresentOrElse(this::select, () -> {
            diffRows.clear();
            diffTitle.set("");
        });
    }

    private void clear() {
        changes.set(Optional.empty());
        title.set("");
        branches.set("");
        summary.set("");
        files.clear();
        selectedFile.set(Optional.empty());
        diffRows.clear();
        diffTitle.set("");
        taskRunning.set(false);
    }

    // ------------------------------------------------------------------------------ commands

    /** Shows a file's diff. */
    public void select(ChangedFile file) {
        if (file == null || changes.get().isEmpty() || selectedFile.get().equals(Optional.of(file))) {
            return;
        }
        selectedFile.set(Optional.of(file));
        WorktreeReview.Changes c = changes.get().get();
        long asked = generation;
        diffTitle.set(file.oldPath().map(o -> o + " → ").orElse("") + file.path());
        submit("Reading the diff of " + file.path() + "…", () -> port.orElseThrow().diff(c, file), diff -> {
            if (asked != generation || !selectedFile.get().equals(Optional.of(file))) {
                return;
            }
            language.set(Syntax.languageOf(file.path()));
            diffRows.setAll(DiffLine.parse(diff.lines()));
            diffTitle.set(file.oldPath().map(o -> o + " → ").orElse("") + file.path()
                    + (diff.binary() ? " · binary file, not shown" : diff.truncated() ? " · cut short: the diff is too long to show whole" : ""));
        }, error::set);
    }

    public void merge() {
        land(false);
    }

    public void squash() {
        land(true);
    }

    private void land(boolean squash) {
        if (!(current instanceof Found.Task task) || !canMergeProperty().get()) {
            error.set(current instanceof Found.Task ? "Nothing to merge now." : NO_TASK);
            return;
        }
        act((squash ? "Squashing" : "Merging") + " task " + task.target().taskKey() + " into its base branch…",
                () -> port.orElseThrow().merge(task.target(), squash));
    }

    /** Asks before discarding: the worktree and its branch are gone for good. */
    public void askDiscard() {
        if (canDiscardProperty().get()) {
            confirmingDiscard.set(true);
        }
    }

    public void keepWorktree() {
        confirmingDiscard.set(false);
    }

    public void confirmDiscard() {
        confirmingDiscard.set(false);
        if (current instanceof Found.Task task && canDiscardProperty().get()) {
            act("Discarding task " + task.target().taskKey() + "…", () -> port.orElseThrow().discard(task.target()));
        }
    }

    /** Opens the worktree in the editor of setting {@code editor.command} (or this system's default). */
    public void openInEditor() {
        open("editor", tools::editorCommand, ExternalTools.EDITOR_KEY);
    }

    /** Opens a terminal in the worktree ({@code terminal.command} or this system's default). */
    public void openTerminal() {
        open("terminal", s -> tools.terminalCommand(s).orElseThrow(() -> new IllegalStateException(
                "no terminal program was found; set " + ExternalTools.TERMINAL_KEY + " in the settings")), ExternalTools.TERMINAL_KEY);
    }

    private void open(String what, Function<Optional<String>, String> command, String key) {
        Optional<Path> folder = changes.get().map(WorktreeReview.Changes::worktree);
        if (folder.isEmpty()) {
            error.set(NO_TASK);
            return;
        }
        submit("Opening the " + what + "…", () -> {
            String line = command.apply(settings.apply(key));
            ExternalTools.launch(what, line, folder.get());
            return "Opened " + folder.get() + " with " + line;
        }, result::set, error::set);
    }

    /** Stops the running git action; a merge stopped before the base moved leaves the base as it was. */
    public void cancel() {
        running.ifPresent(job -> {
            busyText.set("Cancelling…");
            job.cancel();
        });
    }

    private void act(String doing, Callable<WorktreeReview.Outcome> action) {
        result.set("");
        error.set("");
        submit(doing, action, outcome -> {
            result.set(outcome.message());
            reload();
        }, failure -> {
            error.set(failure);
            reload();
        });
    }

    // ------------------------------------------------------------------------------ jobs

    private <T> void submit(String doing, Callable<T> work, Consumer<T> done, Consumer<String> failed) {
        Job job = new Job();
        running = Optional.of(job);
        busy.set(true);
        busyText.set(doing);
        job.body = () -> {
            try {
                T value = work.call();
                fx.execute(() -> finish(job, () -> done.accept(value)));
            } catch (Exception e) {
                String why = job.cancelled ? "Cancelled: " + message(e) : message(e);
                fx.execute(() -> finish(job, () -> failed.accept(why)));
            }
        };
        git.execute(job);
    }

    private void finish(Job job, Runnable then) {
        if (running.equals(Optional.of(job))) {
            running = Optional.empty();
            busy.set(false);
            busyText.set("");
        }
        then.run();
    }

    private static String message(Throwable e) {
        return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    }

    /** One git action on the git executor, which Cancel interrupts (git's process is then stopped). */
    private final class Job implements Runnable {
        private final AtomicReference<Thread> thread = new AtomicReference<>();
        private volatile boolean cancelled;
        private Runnable body;

        @Override
        public void run() {
            if (cancelled) {
                fx.execute(() -> finish(this, () -> error.set("Cancelled.")));
                return;
            }
            thread.set(Thread.currentThread());
            try {
                body.run();
            } finally {
                thread.set(null);
                Thread.interrupted();
            }
        }

        void cancel() {
            cancelled = true;
            Thread t = thread.get();
            if (t != null) {
                t.interrupt();
            }
        }
    }
}
