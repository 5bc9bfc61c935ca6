package dev.controlroom.ui.tasks;

import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.Durations;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskContext;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.ui.common.TaskRow;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The task editor's form: every field of a task as text a person edits, the checks that turn it
 * into a {@link TaskSpec}, and the refusal of a dependency that would close a cycle.
 */
public final class TaskEditorViewModel {
    /** A task of the list that this one may depend on. */
    public static final class Dependency {
        private final String key;
        private final String title;
        private final BooleanProperty chosen = new SimpleBooleanProperty();

        Dependency(String key, String title, boolean chosen) {
            this.key = key;
            this.title = title;
            this.chosen.set(chosen);
        }

        public String key() {
            return key;
        }

        public String title() {
            return title;
        }

        public BooleanProperty chosenProperty() {
            return chosen;
        }
    }

    private final Optional<StoredTask> original;
    private final List<TaskSpec> listSpecs;
    private final TaskListActions actions;

    private final StringProperty key = new SimpleStringProperty("");
    private final StringProperty title = new SimpleStringProperty("");
    private final BooleanProperty shellCommand = new SimpleBooleanProperty(true);
    private final StringProperty work = new SimpleStringProperty("");
    private final StringProperty agent = new SimpleStringProperty(TasksViewModel.ANY);
    private final StringProperty profile = new SimpleStringProperty(TasksViewModel.ANY);
    private final BooleanProperty pinned = new SimpleBooleanProperty();
    private final BooleanProperty critical = new SimpleBooleanProperty();
    private final StringProperty priority = new SimpleStringProperty("0");
    private final StringProperty lane = new SimpleStringProperty("");
    private final StringProperty workingDir = new SimpleStringProperty("");
    private final StringProperty repo = new SimpleStringProperty("");
    private final StringProperty branch = new SimpleStringProperty("");
    private final BooleanProperty worktree = new SimpleBooleanProperty();
    private final StringProperty copyFiles = new SimpleStringProperty("");
    private final StringProperty setup = new SimpleStringProperty("");
    private final StringProperty env = new SimpleStringProperty("");
    private final StringProperty verify = new SimpleStringProperty("");
    private final StringProperty timeout = new SimpleStringProperty("");
    private final StringProperty silence = new SimpleStringProperty("");
    /** The edited task's watchdog policies, kept as they were (the form edits only the silence). */
    private dev.controlroom.domain.Watchdog watchdog = dev.controlroom.domain.Watchdog.NONE;
    private final StringProperty maxAttempts = new SimpleStringProperty("1");
    private final ObservableList<Dependency> dependencies = FXCollections.observableArrayList();
    private final ObservableList<String> agentChoices = FXCollections.observableArrayList(TasksViewModel.ANY);
    private final ObservableList<String> profileChoices = FXCollections.observableArrayList(TasksViewModel.ANY);
    private final ObservableList<String> laneChoices = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper dependencyMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper errors = new ReadOnlyStringWrapper("");
    private boolean reverting;

    /**
     * @param original the task edited, empty for a new one
     * @param rows     the tasks of the list, for dependencies, lanes and the cycle check
     * @param agents   names of the active agents
     */
    public TaskEditorViewModel(Optional<StoredTask> original, List<TaskRow> rows, List<String> agents, TaskListActions actions) {
        this.original = original;
        this.listSpecs = rows.stream().map(r -> r.task().spec()).toList();
        this.actions = actions;
        agentChoices.addAll(agents);
        for (AgentProfile p : AgentProfile.values()) {
            profileChoices.add(p.id());
        }
        rows.stream().map(TaskRow::lane).filter(l -> !l.isEmpty()).distinct().sorted().forEach(laneChoices::add);
        original.ifPresentOrElse(t -> fill(t.spec()), () -> key.set(TaskListActions.freshKey(rows)));
        List<String> chosen = original.map(t -> t.spec().dependsOn()).orElse(List.of());
        for (TaskRow r : rows) {
            if (original.map(o -> o.id() != r.task().id()).orElse(true)) {
                Dependency d = new Dependency(r.key(), r.title(), chosen.contains(r.key()));
                d.chosenProperty().addListener((obs, was, now) -> dependencyToggled(d, now));
                dependencies.add(d);
            }
        }
    }

    private void fill(TaskSpec s) {
        key.set(s.key());
        title.set(s.title());
        shellCommand.set(s.command().isPresent());
        work.set(s.command().or(s::prompt).orElse(""));
        agent.set(s.agent().orElse(TasksViewModel.ANY));
        s.agent().filter(a -> !agentChoices.contains(a)).ifPresent(agentChoices::add);
        profile.set(s.profile().orElse(TasksViewModel.ANY));
        pinned.set(s.pinned());
        critical.set(s.critical());
        priority.set(String.valueOf(s.priority()));
        lane.set(s.category().orElse(""));
        TaskContext c = s.context();
        workingDir.set(c.workingDir().orElse(""));
        repo.set(c.repo().orElse(""));
        branch.set(c.branch().orElse(""));
        worktree.set(c.worktree());
        copyFiles.set(String.join("\n", c.copyFiles()));
        setup.set(String.join("\n", c.setup()));
        env.set(String.join("\n", c.env().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        verify.set(String.join("\n", s.verify()));
        timeout.set(s.timeout().map(Durations::exact).orElse(""));
        watchdog = s.watchdog();
        silence.set(s.watchdog().silence().map(d -> d.isZero() ? "off" : Durations.exact(d)).orElse(""));
        maxAttempts.set(String.valueOf(s.maxAttempts()));
    }

    /** A newly chosen dependency that would close a cycle is unchosen again, with the cycle named. */
    private void dependencyToggled(Dependency d, boolean chosen) {
        if (reverting) {
            return;
        }
        if (!chosen) {
            dependencyMessage.set("");
            return;
        }
        String self = key.get().isBlank() ? original.map(StoredTask::key).orElse("this task") : key.get().strip();
        TaskSpec candidate = TaskSpec.shell(self, "true", chosenKeys().toArray(String[]::new));
        Optional<String> cycle = TaskListActions.cycleWith(listSpecs, original.map(StoredTask::key), candidate);
        if (cycle.isPresent()) {
            reverting = true;
            d.chosenProperty().set(false);
            reverting = false;
            dependencyMessage.set("Refused: depending on " + d.key() + " would close the cycle " + cycle.get());
        } else {
            dependencyMessage.set("");
        }
    }

    private List<String> chosenKeys() {
        return dependencies.stream().filter(x -> x.chosenProperty().get()).map(Dependency::key).toList();
    }

    /** The form as a task, or the problems that keep it from being one (shown in {@link #errorsProperty()}). */
    public Optional<TaskSpec> build() {
        List<String> problems = new ArrayList<>();
        String k = key.get().strip();
        if (k.isEmpty()) {
            problems.add("The task needs an ID.");
        } else if (!PlanReader.validId(k)) {
            problems.add("ID '" + k + "' may hold only letters, digits, '_', '.' and '-', and must start with a letter or digit.");
        } else if (listSpecs.stream().anyMatch(t -> t.key().equals(k)) && !original.map(o -> o.key().equals(k)).orElse(false)) {
            problems.add("The list already has a task '" + k + "'.");
        }
        String text = work.get().strip();
        if (text.isEmpty()) {
            problems.add(shellCommand.get() ? "A shell task needs a command." : "An AI task needs a prompt.");
        }
        int prio = 0;
        try {
            prio = Integer.parseInt(priority.get().strip());
        } catch (NumberFormatException e) {
            problems.add("Priority must be a whole number (higher runs first), not '" + priority.get() + "'.");
        }
        int attempts = 1;
        try {
            attempts = Integer.parseInt(maxAttempts.get().strip());
            if (attempts < 1) {
                problems.add("Max attempts must be at least 1.");
            }
        } catch (NumberFormatException e) {
            problems.add("Max attempts must be a whole number, not '" + maxAttempts.get() + "'.");
        }
        Optional<Duration> limit = Optional.empty();
        if (!timeout.get().isBlank()) {
            limit = PlanReader.parseDuration(timeout.get());
            if (limit.isEmpty()) {
                problems.add("Timeout '" + timeout.get().strip() + "' is not a duration like 90s, 10m or 2h.");
            }
        }
        Optional<Duration> quiet = Optional.empty();
        if (!silence.get().isBlank()) {
            quiet = dev.controlroom.domain.Watchdog.parseSilence(silence.get());
            if (quiet.isEmpty()) {
                problems.add("Watchdog silence '" + silence.get().strip() + "' is not 'off' or a duration like 45s or 3m.");
            }
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : lines(env.get())) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                problems.add("Environment line '" + line + "' must be NAME=value.");
            } else {
                environment.put(line.substring(0, eq).strip(), line.substring(eq + 1));
            }
        }
        Optional<String> agentName = choice(agent.get());
        Optional<String> profileId = choice(profile.get());
        if (pinned.get() && agentName.isEmpty() && profileId.isEmpty()) {
            problems.add("A pinned task must name an agent or a profile to pin it to.");
        }
        errors.set(String.join("\n", problems));
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        TaskContext context = new TaskContext(optional(repo.get()), optional(workingDir.get()), optional(branch.get()), worktree.get(),
                environment, lines(setup.get()), lines(copyFiles.get()));
        return Optional.of(new TaskSpec(k, title.get().isBlank() ? k : title.get().strip(),
                shellCommand.get() ? Optional.of(text) : Optional.empty(), shellCommand.get() ? Optional.empty() : Optional.of(text),
                prio, chosenKeys(), agentName, profileId, pinned.get(), critical.get(), optional(lane.get()), context,
                lines(verify.get()), attempts, limit, new dev.controlroom.domain.Watchdog(quiet, watchdog.onStuck(), watchdog.onRepeatedError())));
    }

    /** Checks the form and saves it; completes with the saved task, or fails with the reason (also shown inline). */
    public CompletableFuture<StoredTask> save() {
        Optional<TaskSpec> spec = build();
        if (spec.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(errors.get()));
        }
        return actions.saveTask(original, spec.get());
    }

    /** Shows a failure of {@link #save()} that the form could not foresee (a cycle, a refused edit). */
    public void showError(String message) {
        errors.set(message);
    }

    private static Optional<String> choice(String value) {
        return value == null || value.isBlank() || TasksViewModel.ANY.equals(value) ? Optional.empty() : Optional.of(value.strip());
    }

    private static Optional<String> optional(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static List<String> lines(String text) {
        return text == null ? List.of() : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    public boolean isNew() {
        return original.isEmpty();
    }

    public StringProperty keyProperty() {
        return key;
    }

    public StringProperty titleProperty() {
        return title;
    }

    /** True for a shell command, false for a prompt to an AI agent. */
    public BooleanProperty shellCommandProperty() {
        return shellCommand;
    }

    public StringProperty workProperty() {
        return work;
    }

    public StringProperty agentProperty() {
        return agent;
    }

    public StringProperty profileProperty() {
        return profile;
    }

    public BooleanProperty pinnedProperty() {
        return pinned;
    }

    public BooleanProperty criticalProperty() {
        return critical;
    }

    public StringProperty priorityProperty() {
        return priority;
    }

    public StringProperty laneProperty() {
        return lane;
    }

    public StringProperty workingDirProperty() {
        return workingDir;
    }

    public StringProperty repoProperty() {
        return repo;
    }

    public StringProperty branchProperty() {
        return branch;
    }

    public BooleanProperty worktreeProperty() {
        return worktree;
    }

    public StringProperty copyFilesProperty() {
        return copyFiles;
    }

    public StringProperty setupProperty() {
        return setup;
    }

    public StringProperty envProperty() {
        return env;
    }

    public StringProperty verifyProperty() {
        return verify;
    }

    public StringProperty silenceProperty() {
        return silence;
    }

    public StringProperty timeoutProperty() {
        return timeout;
    }

    public StringProperty maxAttemptsProperty() {
        return maxAttempts;
    }

    public ObservableList<Dependency> dependencies() {
        return dependencies;
    }

    public ObservableList<String> agentChoices() {
        return agentChoices;
    }

    public ObservableList<String> profileChoices() {
        return profileChoices;
    }

    public ObservableList<String> laneChoices() {
        return laneChoices;
    }

    /** Why the last chosen dependency was refused; empty when none was. */
    public ReadOnlyStringProperty dependencyMessageProperty() {
        return dependencyMessage.getReadOnlyProperty();
    }

    /** Every problem of the form, one a line; empty when it saved or was not checked yet. */
    public ReadOnlyStringProperty errorsProperty() {
        return errors.getReadOnlyProperty();
    }
}
