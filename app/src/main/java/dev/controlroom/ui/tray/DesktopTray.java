package dev.controlroom.ui.tray;

import dev.controlroom.domain.Event;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.Store;
import dev.controlroom.ui.tray.TrayMenu.Command;
import dev.controlroom.ui.tray.TrayMenu.Entry;

import java.awt.AWTException;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Menu;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tray icon, its menu and its notifications. Threads: engine events arrive on the engine's
 * loop and only update the state model; menus are read from the store on the background
 * executor; AWT objects are touched on the AWT event thread only; and whatever the window must
 * do is handed to {@link Window}, whose methods hop to the FX thread without waiting. So neither
 * AWT nor FX ever blocks on the other.
 */
public final class DesktopTray {
    private static final Logger LOG = Logger.getLogger(DesktopTray.class.getName());
    static final String NO_TRAY = "no system tray on this desktop; Control Room runs without one";
    private static final AtomicBoolean SAID_NO_TRAY = new AtomicBoolean();
    /** Engine events come by the hundred a second; the icon and menu follow once per beat. */
    private static final long BEAT_MS = 300;

    private final Store store;
    private final Orchestrator orchestrator;
    private final Executor background;
    private final Window window;
    private final TrayStateModel model = new TrayStateModel();
    private final AtomicBoolean stale = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The last notification shown, until it is clicked or the window is opened: a click opens its task. */
    private final AtomicReference<Optional<TrayNotice>> lastNotice = new AtomicReference<>(Optional.empty());
    private final AtomicReference<List<Entry>> shownMenu = new AtomicReference<>(List.of());
    private TrayIcon icon;

    /** What the tray asks of the window. Called on the AWT thread: implementations hand off and return at once. */
    public interface Window {
        /** Shows the window (again), on the given task when there is one. */
        void open(Optional<Focus> focus);

        /** Quits, asking first when runs are in progress. */
        void quit();
    }

    /** A task (or only a run, when the task is empty) to show when the window opens. */
    public record Focus(String runId, Optional<Long> taskId) {
    }

    private DesktopTray(Store store, Orchestrator orchestrator, Executor background, Window window) {
        this.store = store;
        this.orchestrator = orchestrator;
        this.background = background;
        this.window = window;
    }

    /**
     * Adds the icon when the desktop has a tray; otherwise says so once and returns empty. Blocks
     * (it starts AWT and waits for the AWT thread): call it on a background thread.
     */
    public static Optional<DesktopTray> install(Store store, Orchestrator orchestrator, Executor background, Window window) {
        if (GraphicsEnvironment.isHeadless() || !SystemTray.isSupported()) {
            if (SAID_NO_TRAY.compareAndSet(false, true)) {
                LOG.info(NO_TRAY);
            }
            return Optional.empty();
        }
        DesktopTray tray = new DesktopTray(store, orchestrator, background, window);
        try {
            tray.model.seed(tray.activeRuns());
            EventQueue.invokeAndWait(tray::addIcon);
        } catch (InvocationTargetException e) {
            LOG.log(Level.WARNING, "the tray icon could not be added; Control Room runs without one", e.getCause());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (tray.icon == null) {
            return Optional.empty();
        }
        orchestrator.addListener(tray::onEvents);
        tray.update();
        return Optional.of(tray);
    }

    /** What the app says, once, on a desktop without a tray. */
    public static String noTrayMessage() {
        return NO_TRAY;
    }

    /** The state the icon shows now. */
    public TrayState state() {
        return model.state();
    }

    /** The menu as last put on the icon. */
    public List<Entry> menu() {
        return shownMenu.get();
    }

    /** Shows a notification from the icon; any thread. */
    public void notify(TrayNotice notice) {
        lastNotice.set(Optional.of(notice));
        EventQueue.invokeLater(() -> {
            if (icon != null) {
                icon.displayMessage(notice.title(), notice.text(), switch (notice.level()) {
                    case INFO -> TrayIcon.MessageType.INFO;
                    case WARNING -> TrayIcon.MessageType.WARNING;
                    case ERROR -> TrayIcon.MessageType.ERROR;
                });
            }
        });
    }

    /** Says that closing the window left Control Room running here; any thread. */
    public void hint() {
        EventQueue.invokeLater(() -> {
            if (icon != null) {
                icon.displayMessage("Control Room keeps running",
                        "Closing the window leaves your runs going. Open it again or quit from this icon.", TrayIcon.MessageType.INFO);
            }
        });
    }

    /** The window was opened: failures have been seen, a pending notification is done with. */
    public void seen() {
        lastNotice.set(Optional.empty());
        if (model.acknowledge()) {
            scheduleUpdate();
        }
    }

    /** Removes the icon; any thread, does not wait. */
    public void remove() {
        if (closed.compareAndSet(false, true)) {
            EventQueue.invokeLater(() -> {
                if (icon != null) {
                    SystemTray.getSystemTray().remove(icon);
                    icon = null;
                }
            });
        }
    }

    // ------------------------------------------------------------------------------ AWT thread

    private void addIcon() {
        SystemTray tray = SystemTray.getSystemTray();
        var size = tray.getTrayIconSize();
        TrayState state = model.state();
        TrayIcon added = new TrayIcon(TrayIcons.draw(state, size.width, size.height), state.tooltip(), new PopupMenu());
        added.setImageAutoSize(true);
        // A double click on the icon, or a click on a notification: open the window on what called.
        added.addActionListener(e -> window.open(focusForClick()));
        try {
            tray.add(added);
            icon = added;
        } catch (AWTException e) {
            LOG.log(Level.WARNING, "the tray icon could not be added; Control Room runs without one", e);
        }
    }

    private Optional<Focus> focusForClick() {
        return lastNotice.get().map(n -> new Focus(n.runId(), n.taskId()))
                .or(() -> model.state().newest().map(a -> new Focus(a.runId(), a.taskId())));
    }

    private void show(TrayState state, List<Entry> menu) {
        if (icon == null || closed.get()) {
            return;
        }
        var size = SystemTray.getSystemTray().getTrayIconSize();
        icon.setImage(TrayIcons.draw(state, size.width, size.height));
        icon.setToolTip(state.tooltip());
        PopupMenu popup = icon.getPopupMenu();
        popup.removeAll();
        menu.forEach(entry -> add(popup, entry));
        shownMenu.set(menu);
    }

    private void add(Menu parent, Entry entry) {
        switch (entry) {
            case TrayMenu.Action a -> {
                MenuItem item = new MenuItem(a.label());
                item.setEnabled(a.enabled());
                item.addActionListener(e -> run(a.command()));
                parent.add(item);
            }
            case TrayMenu.Info i -> {
                MenuItem item = new MenuItem(i.label());
                item.setEnabled(false);
                parent.add(item);
            }
            case TrayMenu.Submenu s -> {
                Menu sub = new Menu(s.label());
                s.entries().forEach(e -> add(sub, e));
                parent.add(sub);
            }
            case TrayMenu.Separator ignored -> parent.addSeparator();
        }
    }

    private void run(Command command) {
        switch (command) {
            case TrayMenu.Open ignored -> window.open(Optional.empty());
            case TrayMenu.Quit ignored -> window.quit();
            case TrayMenu.StartPlan start -> background.execute(() -> startPlan(start.planId()));
            case TrayMenu.PauseAll ignored -> forEachRun(r -> r.state() == RunState.RUNNING, orchestrator::pause);
            case TrayMenu.ResumeAll ignored -> forEachRun(r -> r.state() == RunState.PAUSED, orchestrator::resume);
            case TrayMenu.StopAll ignored -> forEachRun(r -> r.state() == RunState.RUNNING, orchestrator::stop);
        }
    }

    // ------------------------------------------------------------------------ engine and store

    private void onEvents(List<Event> events) {
        if (closed.get()) {
            return;
        }
        model.accept(events);
        // The last notice of a batch only: a burst of failures would otherwise queue balloons for minutes.
        events.stream().map(TrayNotice::of).flatMap(Optional::stream).reduce((first, second) -> second).ifPresent(this::notify);
        scheduleUpdate();
    }

    private void scheduleUpdate() {
        if (stale.compareAndSet(false, true)) {
            CompletableFuture.delayedExecutor(BEAT_MS, TimeUnit.MILLISECONDS, background).execute(() -> {
                stale.set(false);
                update();
            });
        }
    }

    /** Reads the menu from the store (background thread) and puts it and the icon on the tray. */
    private void update() {
        if (closed.get()) {
            return;
        }
        try {
            List<RunSummary> active = activeRuns();
            List<PlanSummary> recent = TrayMenu.recentPlans(store.runs().latest(20), store.plans().list(), TrayMenu.RECENT_PLANS);
            TrayState state = model.state();
            List<Entry> menu = TrayMenu.build(active, recent);
            EventQueue.invokeLater(() -> show(state, menu));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the tray menu could not be read", e);
        }
    }

    private List<RunSummary> activeRuns() {
        try {
            return orchestrator.activeRuns().get(10, TimeUnit.SECONDS).stream()
                    .map(id -> store.runs().find(id)).flatMap(Optional::stream).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.log(Level.WARNING, "the engine did not say which runs are active", e);
            return List.of();
        }
    }

    private void forEachRun(Predicate<RunSummary> which, Function<String, CompletableFuture<Void>> action) {
        background.execute(() -> activeRuns().stream().filter(which).forEach(r -> action.apply(r.id())
                .exceptionally(error -> {
                    LOG.log(Level.WARNING, "tray action on " + r.id() + " failed", error);
                    return null;
                })));
    }

    private void startPlan(long planId) {
        store.plans().list().stream().filter(p -> p.id() == planId).findFirst().ifPresent(plan ->
                orchestrator.start(plan.id(), new RunOptions(plan.concurrency().orElse(4), plan.waveMode(), "tray"))
                        .exceptionally(error -> {
                            LOG.log(Level.WARNING, "starting " + plan.name() + " from the tray failed", error);
                            return null;
                        }));
    }
}
