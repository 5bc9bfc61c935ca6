package dev.controlroom.ui;

import dev.controlroom.agent.CliDetector;
import dev.controlroom.agent.CliVersions;
import dev.controlroom.app.StartupMarks;
import dev.controlroom.domain.Failures;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.orchestrator.port.WorktreeReview;
import dev.controlroom.store.Store;
import dev.controlroom.ui.agents.AgentsPaneController;
import dev.controlroom.ui.common.View;
import dev.controlroom.ui.detail.TaskDetailPaneController;
import dev.controlroom.ui.events.EventsPaneController;
import dev.controlroom.ui.logs.LogsPaneController;
import dev.controlroom.ui.notify.ControlsFxToaster;
import dev.controlroom.ui.notify.NotifyDesk;
import dev.controlroom.ui.palette.CommandPalette;
import dev.controlroom.ui.palette.Commands;
import dev.controlroom.ui.review.ExternalTools;
import dev.controlroom.ui.review.ReviewPaneController;
import dev.controlroom.ui.review.ReviewViewModel;
import dev.controlroom.ui.tasks.TasksPaneController;
import dev.controlroom.ui.tray.DesktopTray;
import dev.controlroom.ui.tray.TrayWindow;
import dev.controlroom.ui.waves.WavesPaneController;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Starts the JavaFX toolkit and shows the main window; returns when the window is closed. */
public final class DesktopApp {
    private static final long SMOKE_TIMEOUT_SECONDS = 60;
    /** How long one agent CLI may take to say its version before it counts as not found. */
    private static final java.time.Duration CLI_PROBE_TIMEOUT = java.time.Duration.ofSeconds(5);
    /** app.css holds the frame and shared tokens; each area keeps its own rules in its own file. */
    static final java.util.List<String> STYLESHEETS = java.util.List.of("app.css", "agents.css", "tasks.css", "waves.css",
            "terminal.css", "events.css", "review.css", "palette.css");

    private final Store store;
    private final Orchestrator orchestrator;
    private final Executor background;
    private final String version;
    private Optional<WorktreeReview> review = Optional.empty();
    private Executor git;
    private final List<Runnable> afterFirstFrame = new java.util.ArrayList<>();
    private final FxThread fx = new FxThread();

    public DesktopApp(Store store, Orchestrator orchestrator, Executor background, String version) {
        this.store = store;
        this.orchestrator = orchestrator;
        this.background = background;
        this.version = version;
        this.git = background;
    }

    /**
     * Lets the Review tab read and merge tasks' worktrees through {@code review}, on {@code git}
     * (an executor of its own: a merge can take seconds and must not hold up the panes' refresh).
     */
    public DesktopApp withReview(WorktreeReview review, Executor git) {
        this.review = Optional.of(review);
        this.git = git;
        return this;
    }

    /**
     * Shows the window and blocks until it is closed. In smoke mode it closes itself once the first
     * frame with data has been shown, and reports how long that took.
     *
     * @return the process exit code
     */
    public int run(boolean smoke, PrintStream out) {
        return run(CompletableFuture.completedFuture(this), smoke, out);
    }

    /**
     * Like {@link #run(boolean, PrintStream)}, for an app whose database is still being opened on
     * another thread: the toolkit starts at once, meanwhile, and the window is built on the FX thread
     * as soon as {@code app} is there (the FX thread never waits for it).
     *
     * @return the process exit code
     * @throws RuntimeException why {@code app} could not be made (e.g. the database could not be opened)
     */
    public static int run(CompletableFuture<DesktopApp> app, boolean smoke, PrintStream out) {
        long start = System.nanoTime();
        CountDownLatch closed = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(0);
        // The window may be hidden to the tray; the app ends when it is quit, not when no window shows.
        Platform.setImplicitExit(false);
        StartupMarks.mark("toolkit starting");
        Platform.startup(() -> {
            StartupMarks.mark("toolkit started");
            app.whenCompleteAsync((desktop, error) -> {
                if (error != null) {
                    closed.countDown();
                } else {
                    desktop.open(smoke, out, start, closed, exitCode);
                }
            }, new FxThread());
        });
        try {
            if (smoke) {
                if (!closed.await(SMOKE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    out.println("smoke: no frame was shown within " + SMOKE_TIMEOUT_SECONDS + " s");
                    exitCode.set(1);
                }
            } else {
                closed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exitCode.set(1);
        }
        Platform.exit();
        if (app.isCompletedExceptionally()) {
            Throwable cause = app.handle((ok, error) -> Failures.unwrap(error)).join();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
        }
        return exitCode.get();
    }

    /**
     * Runs {@code action} (off the FX thread) once the first frame with data has been shown: for
     * work a start must do but the window must not wait for.
     */
    public DesktopApp afterFirstFrame(Runnable action) {
        afterFirstFrame.add(action);
        return this;
    }

    /** Builds and shows the window on the FX thread; counts {@code closed} down when it is quit (or, in smoke mode, shown). */
    private void open(boolean smoke, PrintStream out, long start, CountDownLatch closed, AtomicInteger exitCode) {
        try {
            Stage stage = new Stage();
            MainViewModel viewModel = show(stage);
            StartupMarks.mark("window built");
            TrayWindow window = new TrayWindow(stage, new TrayWindow.Services(store, orchestrator, background, fx, viewModel::showTask),
                    closed::countDown);
            whenFirstFrameWithData(stage, viewModel, () -> {
                if (smoke) {
                    StartupMarks.mark("first frame with data");
                    out.printf("smoke: first frame with data after %d ms%s%n", (System.nanoTime() - start) / 1_000_000,
                            sinceExec().map(ms -> " (" + ms + " ms since exec)").orElse(""));
                    out.println("smoke: start-up " + StartupMarks.report());
                }
                afterFirstFrame.forEach(background::execute);
                // After the first frame: AWT's start-up must not delay the window.
                CompletableFuture<Optional<DesktopTray>> tray = CompletableFuture.supplyAsync(window::installTray, background);
                if (smoke) {
                    tray.orTimeout(SMOKE_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((installed, error) -> {
                        out.println(error != null ? "smoke: tray failed: " + error
                                : installed.isPresent() ? "smoke: tray icon added" : "smoke: " + DesktopTray.noTrayMessage());
                        installed.ifPresent(DesktopTray::remove);
                        closed.countDown();
                    });
                }
            });
        } catch (RuntimeException e) {
            exitCode.set(1);
            e.printStackTrace(out);
            closed.countDown();
        }
    }

    /**
     * Milliseconds from the exec of this process to now: from {@code CONTROL_ROOM_EXEC_MS} (epoch
     * millis taken by whoever started us, e.g. the start-up measurement) or else the process's
     * start time as the OS reports it (10 ms ticks on Linux).
     */
    static Optional<Long> sinceExec() {
        return StartupMarks.sinceExec();
    }

    /** Builds the window for {@code stage} and starts loading its data; FX thread only. */
    public MainViewModel show(Stage stage) {
        // Decoding the 256 px icon is done meanwhile by the background thread, idle while the views load.
        CompletableFuture.supplyAsync(DesktopApp::icon, background)
                .thenAcceptAsync(image -> image.ifPresent(stage.getIcons()::add), fx);
        MainViewModel viewModel = new MainViewModel(new UiServices(store, orchestrator, background, fx, Clock.systemDefaultZone(),
                () -> new CliVersions(CliDetector.fromEnvironment(), CLI_PROBE_TIMEOUT).probe()));
        orchestrator.addListener(new QuestionDesk(orchestrator, fx, () -> stage));
        NotifyDesk notify = new NotifyDesk(fx, new ControlsFxToaster(() -> stage),
                event -> {
                    stage.setIconified(false);
                    stage.toFront();
                    event.taskId().ifPresent(id -> viewModel.showTask(id, event.runId()));
                }).remembered(store, background);
        orchestrator.addListener(notify);
        ReviewViewModel reviewModel = new ReviewViewModel(review, git, fx, store.settings()::get, ExternalTools.ofThisMachine());
        viewModel.addLoader(reviewModel);
        Parent root = load(View.MAIN_WINDOW, viewModel, notify, reviewModel);
        StartupMarks.mark("views loaded");
        var screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(root, Math.min(1440, screen.getWidth()), Math.min(880, screen.getHeight()));
        STYLESHEETS.forEach(file -> scene.getStylesheets().add(css(file)));
        Application.setUserAgentStylesheet(viewModel.themeProperty().get().stylesheet());
        viewModel.themeProperty().addListener((obs, old, theme) -> applyTheme(root, theme));
        applyTheme(root, viewModel.themeProperty().get());
        registerCommands(viewModel.commands(), viewModel, reviewModel, root, new CommandPalette(viewModel.commands()), stage);
        viewModel.commands().installAccelerators(scene);
        stage.setTitle("Control Room");
        stage.setScene(scene);
        // Asking the agent CLIs for their versions starts processes: after the first frame, not in its way.
        whenFirstFrameWithData(stage, viewModel, viewModel.agents()::detectClis);
        stage.setMinWidth(900);
        stage.setMinHeight(560);
        // The remembered layout and theme are read off the FX thread; the window shows as soon as they are there,
        // in the remembered theme: a light window is not styled dark first (a second full CSS pass, and a flash).
        WindowLayout layout = new WindowLayout(stage, root, background, fx, store.settings()::put);
        CompletableFuture.supplyAsync(() -> new Remembered(store.settings().withPrefix(WindowLayout.PREFIX),
                        store.settings().get(MainViewModel.THEME_KEY).flatMap(Theme::fromId)), background)
                .exceptionally(e -> new Remembered(Map.of(), Optional.empty()))
                .thenAcceptAsync(remembered -> {
                    Map<String, String> saved = remembered.layout();
                    remembered.theme().ifPresent(viewModel::restoreTheme);
                    layout.restoreWindow(saved);
                    stage.show();
                    StartupMarks.mark("window shown");
                    layout.restorePanes(saved);
                    layout.watch();
                    stage.addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> layout.saveNow());
                }, fx);
        viewModel.refresh();
        return viewModel;
    }

    /** What the window remembers from the last time: its layout and its theme. */
    private record Remembered(Map<String, String> layout, Optional<Theme> theme) {
    }

    /** The window's commands: the palette lists them, their shortcuts are the scene's accelerators, F1 lists those. */
    private static void registerCommands(Commands commands, MainViewModel vm, ReviewViewModel review, Parent root, CommandPalette palette,
                                         Stage stage) {
        commands.add("Command palette", List.of(key("Shortcut+K"), key("Shortcut+Shift+P")), () -> palette.show(stage));
        commands.add("Keyboard shortcuts", key("F1"), () -> palette.showShortcuts(stage));
        commands.add("Run the selected task list", key("Shortcut+Enter"), vm::startSelectedPlan);
        commands.add("Pause the run", key("F6"), vm::pauseRun);
        commands.add("Resume the run", key("F8"), vm::resumeRun);
        commands.add("Stop the run", key("Shortcut+F2"), vm::stopRun);
        commands.add("Refresh", List.of(key("F5"), key("Shortcut+R")), vm::refresh);
        commands.add("Toggle theme (dark / light)", key("Shortcut+Shift+L"), vm::toggleTheme);
        commands.add("Focus agents", key("Shortcut+1"), () -> focus(root, "#agentList"));
        commands.add("Focus tasks", key("Shortcut+2"), () -> focus(root, "#taskTable"));
        commands.add("Focus waves", key("Shortcut+3"), () -> focus(root, "#scroller"));
        commands.add("Focus terminals", key("Shortcut+4"), () -> focus(root, "#leftTabs"));
        commands.add("Focus events", key("Shortcut+5"), () -> focus(root, "#eventList"));
        commands.add("Focus review", key("Shortcut+6"), () -> showReview(root));
        commands.add("Review selected task", key("Shortcut+D"), () -> {
            showReview(root);
            review.reload();
        });
        commands.add("Merge selected task", key("Shortcut+Shift+M"), () -> {
            showReview(root);
            review.merge();
        });
        commands.add("Squash selected task", key("Shortcut+Shift+U"), () -> {
            showReview(root);
            review.squash();
        });
        commands.add("Discard selected task…", () -> {
            showReview(root);
            review.askDiscard();
        });
        commands.add("Open selected task in editor", key("Shortcut+E"), review::openInEditor);
        commands.add("Open terminal in selected task's worktree", review::openTerminal);
        var controls = vm.taskControls();
        java.util.function.Consumer<Runnable> onSelected = action -> {
            if (controls.selected().isEmpty()) {
                vm.showError("Select a task first.");
            } else {
                action.run();
            }
        };
        commands.add("Retry selected task", key("Shortcut+Shift+R"), () -> onSelected.accept(controls::retry));
        commands.add("Skip selected task", () -> onSelected.accept(controls::skip));
        commands.add("Cancel selected task", () -> onSelected.accept(controls::cancel));
        commands.add("Trigger QA on selected task", key("Shortcut+Shift+Q"), () -> onSelected.accept(controls::verify));
        commands.add("Terminate selected task's session", () -> onSelected.accept(controls::terminate));
    }

    private static KeyCombination key(String text) {
        return KeyCombination.valueOf(text);
    }

    private static void focus(Parent root, String selector) {
        Optional.ofNullable(root.lookup(selector)).ifPresent(javafx.scene.Node::requestFocus);
    }

    private static void showReview(Parent root) {
        if (root.lookup("#inspectorTabs") instanceof javafx.scene.control.TabPane tabs) {
            tabs.getTabs().stream().filter(t -> "reviewTab".equals(t.getId())).findFirst().ifPresent(t -> tabs.getSelectionModel().select(t));
            javafx.application.Platform.runLater(() -> focus(root, "#fileList"));
        }
    }

    private static void applyTheme(Parent root, Theme theme) {
        Application.setUserAgentStylesheet(theme.stylesheet());
        root.getStyleClass().removeAll("theme-dark", "theme-light");
        root.getStyleClass().add("theme-" + theme.id());
    }

    private static java.util.Optional<Image> icon() {
        try (InputStream in = DesktopApp.class.getResourceAsStream("/icons/control-room-256.png")) {
            return in == null ? java.util.Optional.empty() : java.util.Optional.of(new Image(in));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private Parent load(View view, MainViewModel viewModel, NotifyDesk notify, ReviewViewModel reviewModel) {
        Map<Class<?>, Supplier<Object>> controllers = Map.of(
                MainWindowController.class, () -> new MainWindowController(viewModel, version),
                AgentsPaneController.class, () -> new AgentsPaneController(viewModel.agents()),
                TasksPaneController.class, () -> new TasksPaneController(viewModel.tasks(), viewModel.taskActions(),
                        viewModel.taskControls()),
                TaskDetailPaneController.class, () -> new TaskDetailPaneController(viewModel.taskDetail(), viewModel.taskControls()),
                WavesPaneController.class, () -> new WavesPaneController(viewModel.waves()),
                LogsPaneController.class, () -> new LogsPaneController(viewModel.logs()),
                EventsPaneController.class, () -> new EventsPaneController(viewModel.events(), notify.mutedProperty()),
                ReviewPaneController.class, () -> new ReviewPaneController(reviewModel));
        FXMLLoader loader = new FXMLLoader(view.url());
        loader.setControllerFactory(type -> {
            Supplier<Object> factory = controllers.get(type);
            if (factory == null) {
                throw new IllegalStateException("no controller factory for " + type.getName());
            }
            return factory.get();
        });
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load view " + view + ": " + e.getMessage(), e);
        }
    }

    static String css(String file) {
        var url = DesktopApp.class.getResource("/css/" + file);
        if (url == null) {
            throw new IllegalStateException("missing stylesheet /css/" + file);
        }
        return url.toExternalForm();
    }

    /** Runs {@code action} once, after the first pulse that rendered the window with loaded data. */
    private static void whenFirstFrameWithData(Stage stage, MainViewModel viewModel, Runnable action) {
        Scene scene = stage.getScene();
        Runnable[] listener = new Runnable[1];
        listener[0] = () -> {
            if (stage.isShowing() && viewModel.loadedOnceProperty().get()) {
                scene.removePostLayoutPulseListener(listener[0]);
                // The pulse that laid out the data is rendered right after this listener returns.
                Platform.runLater(action);
            }
        };
        scene.addPostLayoutPulseListener(listener[0]);
    }
}
