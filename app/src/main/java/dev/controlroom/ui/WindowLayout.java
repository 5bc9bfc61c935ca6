package dev.controlroom.ui;

import javafx.beans.value.ChangeListener;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TabPane;
import javafx.stage.Screen;
import javafx.stage.Stage;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Remembers how a person arranged the window: its size, position and maximized state, the divider
 * positions of every {@link SplitPane} and the selected tab of every {@link TabPane} that has an id
 * (so panes added later are remembered too). Kept in the settings under {@value #PREFIX}; saved on
 * the background executor half a second after the last change, and once more when the window closes.
 */
final class WindowLayout {
    static final String PREFIX = "ui.layout.";
    private static final Logger LOG = Logger.getLogger(WindowLayout.class.getName());
    private static final long SAVE_DELAY_MS = 500;

    private final Stage stage;
    private final Parent root;
    private final Executor background;
    private final Executor fx;
    private final BiConsumer<String, String> write;
    /** What is stored now, so only what changed is written. */
    private final Map<String, String> stored = new HashMap<>();
    private long changes;

    WindowLayout(Stage stage, Parent root, Executor background, Executor fx, BiConsumer<String, String> write) {
        this.stage = stage;
        this.root = root;
        this.background = background;
        this.fx = fx;
        this.write = write;
    }

    /** Before the window shows: its size, and its position when that is still on a screen. */
    void restoreWindow(Map<String, String> saved) {
        stored.putAll(saved);
        Optional<Double> w = number(saved, "window.width");
        Optional<Double> h = number(saved, "window.height");
        Optional<Double> x = number(saved, "window.x");
        Optional<Double> y = number(saved, "window.y");
        if (w.isPresent() && h.isPresent()) {
            Rectangle2D screen = Screen.getPrimary().getVisualBounds();
            stage.setWidth(Math.max(stage.getMinWidth(), Math.min(w.get(), screen.getWidth())));
            stage.setHeight(Math.max(stage.getMinHeight(), Math.min(h.get(), screen.getHeight())));
            // A screen unplugged since: the window would open where nobody can see it.
            if (x.isPresent() && y.isPresent() && !Screen.getScreensForRectangle(x.get(), y.get(), Math.min(w.get(), 100), 40).isEmpty()) {
                stage.setX(x.get());
                stage.setY(y.get());
            }
        } else if (stage.getScene() != null) {
            // Nothing remembered: the window opens at the size its scene asks for, whatever the stage held before.
            Rectangle2D screen = Screen.getPrimary().getVisualBounds();
            double width = Math.min(stage.getScene().getWidth(), screen.getWidth());
            double height = Math.min(stage.getScene().getHeight(), screen.getHeight());
            stage.setWidth(width);
            stage.setHeight(height);
            stage.setX(screen.getMinX() + (screen.getWidth() - width) / 2);
            stage.setY(screen.getMinY() + (screen.getHeight() - height) / 2);
        }
        stage.setMaximized("true".equals(saved.get("window.maximized")));
    }

    /** Once the panes exist: divider positions and selected tabs. */
    void restorePanes(Map<String, String> saved) {
        applyPanes(saved);
        // The window may still take its remembered size over the next pulses; a split squeezed on the way moves its
        // dividers to honour its panes' minimum sizes. Until the size has settled, put them back where they were.
        ChangeListener<Number> resized = (obs, old, now) -> applyPanes(saved);
        var scene = stage.getScene();
        scene.widthProperty().addListener(resized);
        scene.heightProperty().addListener(resized);
        var settle = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(1));
        settle.setOnFinished(e -> {
            scene.widthProperty().removeListener(resized);
            scene.heightProperty().removeListener(resized);
        });
        settle.play();
    }

    private void applyPanes(Map<String, String> saved) {
        root.applyCss();
        root.layout();
        for (SplitPane split : splitPanes()) {
            Optional.ofNullable(saved.get("split." + split.getId())).ifPresent(v -> {
                try {
                    double[] positions = Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble).toArray();
                    if (positions.length == split.getDividers().size()) {
                        split.setDividerPositions(positions);
                    }
                } catch (NumberFormatException e) {
                    LOG.fine(() -> "ignoring the stored divider positions " + v + " of " + split.getId());
                }
            });
        }
        for (TabPane tabs : tabPanes()) {
            number(saved, "tabs." + tabs.getId()).map(Double::intValue).filter(i -> i >= 0 && i < tabs.getTabs().size())
                    .ifPresent(i -> tabs.getSelectionModel().select(i));
        }
    }

    /** Saves after every change, half a second after the last one. */
    void watch() {
        ChangeListener<Object> changed = (obs, old, now) -> changed();
        stage.xProperty().addListener(changed);
        stage.yProperty().addListener(changed);
        stage.widthProperty().addListener(changed);
        stage.heightProperty().addListener(changed);
        stage.maximizedProperty().addListener(changed);
        splitPanes().forEach(s -> s.getDividers().forEach(d -> d.positionProperty().addListener(changed)));
        tabPanes().forEach(t -> t.getSelectionModel().selectedIndexProperty().addListener(changed));
    }

    private void changed() {
        long mine = ++changes;
        CompletableFuture.delayedExecutor(SAVE_DELAY_MS, TimeUnit.MILLISECONDS, fx).execute(() -> {
            if (mine == changes) {
                Map<String, String> now = newer();
                if (!now.isEmpty()) {
                    try {
                        background.execute(() -> store(now));
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        LOG.fine("the window outlived its services; the layout is saved when it closes");
                    }
                }
            }
        });
    }

    /**
     * The save as the window closes (or hides to the tray, with runs going on): queued on the
     * background executor like every other write — the composition root lets queued work finish
     * before the database closes. Only a window that outlived its services writes here.
     */
    void saveNow() {
        changes++;
        Map<String, String> now = newer();
        if (now.isEmpty()) {
            return;
        }
        try {
            background.execute(() -> store(now));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            store(now);
        }
    }

    private Map<String, String> newer() {
        Map<String, String> now = capture();
        now.entrySet().removeIf(e -> e.getValue().equals(stored.get(e.getKey())));
        stored.putAll(now);
        return now;
    }

    private void store(Map<String, String> values) {
        try {
            values.forEach((k, v) -> write.accept(PREFIX + k, v));
        } catch (RuntimeException e) {
            if (e instanceof dev.controlroom.store.StoreException refused && refused.isTransient()) {
                // The database refuses writes for now (a full disk, a lock): the window shows that and the log says it once.
                LOG.fine("the window layout was not saved this time: " + e.getMessage());
            } else {
                LOG.log(Level.WARNING, "could not save the window layout", e);
            }
        }
    }

    /** The layout as it is now; a maximized window keeps its last normal size and place. */
    Map<String, String> capture() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("window.maximized", Boolean.toString(stage.isMaximized()));
        if (!stage.isMaximized() && !stage.isIconified()) {
            out.put("window.x", Long.toString(Math.round(stage.getX())));
            out.put("window.y", Long.toString(Math.round(stage.getY())));
            out.put("window.width", Long.toString(Math.round(stage.getWidth())));
            out.put("window.height", Long.toString(Math.round(stage.getHeight())));
        }
        for (SplitPane split : splitPanes()) {
            out.put("split." + split.getId(), Arrays.stream(split.getDividerPositions())
                    .mapToObj(p -> String.format(java.util.Locale.ROOT, "%.4f", p)).reduce((a, b) -> a + "," + b).orElse(""));
        }
        for (TabPane tabs : tabPanes()) {
            out.put("tabs." + tabs.getId(), Integer.toString(tabs.getSelectionModel().getSelectedIndex()));
        }
        return out;
    }

    private java.util.List<SplitPane> splitPanes() {
        return withId(SplitPane.class, ".split-pane");
    }

    private java.util.List<TabPane> tabPanes() {
        return withId(TabPane.class, ".tab-pane");
    }

    private <T extends Node> java.util.List<T> withId(Class<T> type, String selector) {
        return root.lookupAll(selector).stream().filter(type::isInstance).map(type::cast)
                .filter(n -> n.getId() != null && !n.getId().isBlank()).toList();
    }

    private static Optional<Double> number(Map<String, String> saved, String key) {
        try {
            return Optional.ofNullable(saved.get(key)).map(Double::parseDouble).filter(d -> !d.isNaN() && !d.isInfinite());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
