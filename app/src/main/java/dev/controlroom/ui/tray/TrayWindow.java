package dev.controlroom.ui.tray;

import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.Store;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The window's side of the tray: what closing the window, opening it from the tray and quitting
 * do. With a tray, closing hides the window and the runs go on (said once, remembered in the
 * settings); without one, closing quits. Quitting with runs in progress asks first; then the
 * app's own shutdown stops the agents and stores the runs as interrupted.
 */
public final class TrayWindow implements DesktopTray.Window {
    private static final Logger LOG = Logger.getLogger(TrayWindow.class.getName());
    static final String HINT_SHOWN_KEY = "ui.tray.hint-shown";

    /**
     * What closing and quitting work with: the store (the hint said once), the engine (runs in
     * progress, the tray's menu), the background executor, the FX thread, and how the window shows
     * a run's task list with one of its tasks selected.
     */
    public record Services(Store store, Orchestrator orchestrator, Executor background, Executor fx,
                           BiConsumer<String, Optional<Long>> showTask) {
    }

    private final Stage stage;
    private final Services services;
    private final Runnable quit;
    private final Executor fx;
    private final AtomicReference<Optional<DesktopTray>> tray = new AtomicReference<>(Optional.empty());

    /**
     * @param quit ends the app (returns from the window's run); FX thread
     */
    public TrayWindow(Stage stage, Services services, Runnable quit) {
        this.stage = stage;
        this.services = services;
        this.quit = quit;
        this.fx = services.fx();
        stage.setOnCloseRequest(e -> {
            e.consume();
            closeRequested();
        });
    }

    /** Adds the tray icon when the desktop has a tray; blocks, call it off the FX thread. */
    public Optional<DesktopTray> installTray() {
        Optional<DesktopTray> installed = DesktopTray.install(services.store(), services.orchestrator(), services.background(), this);
        tray.set(installed);
        return installed;
    }

    @Override
    public void open(Optional<DesktopTray.Focus> focus) {
        fx.execute(() -> {
            stage.show();
            stage.setIconified(false);
            stage.toFront();
            focus.ifPresent(f -> services.showTask().accept(f.runId(), f.taskId()));
            tray.get().ifPresent(DesktopTray::seen);
        });
    }

    @Override
    public void quit() {
        fx.execute(this::quitAsking);
    }

    /** The window's close button: to the tray when there is one, else quit. FX thread. */
    void closeRequested() {
        Optional<DesktopTray> present = tray.get();
        if (present.isEmpty()) {
            quitAsking();
            return;
        }
        stage.hide();
        Store store = services.store();
        services.background().execute(() -> {
            if (store.settings().get(HINT_SHOWN_KEY).isEmpty()) {
                store.settings().put(HINT_SHOWN_KEY, "true");
                present.get().hint();
            }
        });
    }

    /** Quits at once when nothing runs; asks first when runs are in progress. FX thread. */
    void quitAsking() {
        services.orchestrator().activeRuns().whenCompleteAsync((runs, error) -> {
            if (error != null) {
                LOG.log(Level.WARNING, "the engine did not say which runs are active; quitting", error);
            } else if (!runs.isEmpty() && !confirmQuit(runs)) {
                return;
            }
            tray.get().ifPresent(DesktopTray::remove);
            quit.run();
        }, fx);
    }

    private boolean confirmQuit(List<String> runs) {
        ButtonType quitButton = new ButtonType("Quit", ButtonBar.ButtonData.OK_DONE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "", quitButton, ButtonType.CANCEL);
        if (stage.isShowing()) {
            alert.initOwner(stage);
        }
        alert.setTitle("Quit Control Room");
        alert.setHeaderText(runs.size() == 1 ? "A run is in progress" : runs.size() + " runs are in progress");
        alert.setContentText("Quitting stops their agents now. The runs are stored as interrupted and continue at the next start.");
        alert.getDialogPane().setId("quit-dialog");
        return alert.showAndWait().filter(quitButton::equals).isPresent();
    }
}
