package dev.controlroom.ui.logs;

import dev.controlroom.domain.Event;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.orchestrator.port.LiveOutput;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.OutputStore;
import dev.controlroom.store.Store;
import dev.controlroom.ui.term.Terminal;
import dev.controlroom.ui.term.TerminalView;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open session in the log pane: its terminal, fed first from the database (the newest part,
 * or all of it on request, read on the background executor) and then live from the engine; its
 * header (agent · task · state) and the events extracted from its output.
 */
public final class SessionTab {
    private static final Logger LOG = Logger.getLogger(SessionTab.class.getName());
    /** The PTY size the runtime gives every session: the model must match it for cursor addressing to land right. */
    static final int PTY_COLUMNS = 120;
    static final int PTY_ROWS = 40;
    /** How much stored output a tab replays when it opens: enough for a screenful of history, quick to read. */
    static final int OPEN_TAIL_BYTES = 512 * 1024;
    /** History kept when the whole output is loaded on request. */
    static final int FULL_HISTORY_LINES = 100_000;
    /** How often, and how far apart, a tab asks whether a session said to run has its process yet. */
    private static final int LIVE_CHECKS = 40;
    private static final long LIVE_CHECK_MS = 250;

    private final String sessionId;
    private final Store store;
    private final Orchestrator orchestrator;
    private final Executor background;
    private final Executor fx;
    private final TerminalView view = new TerminalView(new Terminal(PTY_COLUMNS, PTY_ROWS));
    private final ReadOnlyStringWrapper title;
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("Loading output…");
    private final ReadOnlyBooleanWrapper live = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper fullHistory = new ReadOnlyBooleanWrapper();
    /** Whether the output is an agent's JSON event stream, which reads better as a transcript. */
    private final ReadOnlyBooleanWrapper stream = new ReadOnlyBooleanWrapper();
    /** Shows a JSON event stream as a transcript (true) or as printed (false). */
    private final javafx.beans.property.BooleanProperty transcript = new javafx.beans.property.SimpleBooleanProperty(true);
    private final ObservableList<Event> events = FXCollections.observableArrayList();
    private final ObservableList<Event> readOnlyEvents = FXCollections.unmodifiableObservableList(events);
    private Optional<LiveOutput.Subscription> subscription = Optional.empty();
    private long loads;
    private boolean closed;

    SessionTab(String sessionId, Store store, Orchestrator orchestrator, Executor background, Executor fx) {
        this.sessionId = sessionId;
        this.store = store;
        this.orchestrator = orchestrator;
        this.background = background;
        this.fx = fx;
        this.title = new ReadOnlyStringWrapper(sessionId);
        view.setInput(this::type);
        view.inputEnabledProperty().bind(live);
        transcript.addListener((obs, old, now) -> load(fullHistory.get()));
        view.skippedBytesProperty().addListener((obs, old, now) -> notice.set("This view fell behind and skipped "
                + kib(now.longValue()) + " of output; the database has all of it (Full history)."));
    }

    public String sessionId() {
        return sessionId;
    }

    public TerminalView view() {
        return view;
    }

    /** "agent · task · state". */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** What the user should know about what is shown (how much history, skipped output, input). */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** True while the session's process runs here: keys typed into the terminal reach it. */
    public ReadOnlyBooleanProperty liveProperty() {
        return live.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty streamProperty() {
        return stream.getReadOnlyProperty();
    }

    public javafx.beans.property.BooleanProperty transcriptProperty() {
        return transcript;
    }

    public ReadOnlyBooleanProperty fullHistoryProperty() {
        return fullHistory.getReadOnlyProperty();
    }

    /** Errors, tool calls, questions and rate limits extracted from this session's output. */
    public ObservableList<Event> events() {
        return readOnlyEvents;
    }

    /** FX thread: reads the newest stored output and starts following the live output. */
    void open() {
        load(false);
    }

    /** FX thread: replays the whole stored output (on the background executor), then keeps following. */
    public void loadFullHistory() {
        load(true);
    }

    private void load(boolean all) {
        long token = ++loads;
        view.hold();
        subscription.ifPresent(LiveOutput.Subscription::close);
        subscription = Optional.empty();
        notice.set(all ? "Loading the whole output…" : "Loading output…");
        CompletableFuture.supplyAsync(() -> read(all), background).whenCompleteAsync((loaded, error) -> {
            if (error == null && (closed || token != loads)) {
                loaded.subscription().ifPresent(LiveOutput.Subscription::close);
                return;
            }
            if (error != null) {
                LOG.log(Level.WARNING, "could not load the output of session " + sessionId, error);
                notice.set("Could not read this session's output: " + error.getMessage());
                view.replace(view.terminal(), -1);
                return;
            }
            subscription = loaded.subscription();
            stream.set(loaded.stream());
            // A transcript is not the printed bytes: its offsets mean nothing to the view, live text is taken in order.
            view.replace(loaded.terminal(), loaded.rendered() ? -1 : loaded.end());
            fullHistory.set(all || loaded.from() == 0);
            notice.set(describe(loaded));
        }, fx);
        checkLive(0);
    }

    /**
     * Asks the engine whether the session's process runs here. A session is recorded as running a
     * moment before its process is started and attached: while it is still said to run, ask again
     * a few times rather than leave the terminal read-only.
     */
    private void checkLive(int asked) {
        CompletableFuture<Boolean> asking;
        try {
            asking = orchestrator.isRunning(sessionId);
        } catch (java.util.concurrent.RejectedExecutionException engineClosed) {
            return; // the application is closing: nothing runs any more
        }
        asking.thenAcceptAsync(running -> {
            if (closed) {
                return;
            }
            live.set(running);
            boolean saidRunning = state.get().isEmpty() || state.get().equals("running") || state.get().equals("starting");
            if (!running && saidRunning && asked < LIVE_CHECKS) {
                CompletableFuture.delayedExecutor(LIVE_CHECK_MS, java.util.concurrent.TimeUnit.MILLISECONDS, fx)
                        .execute(() -> checkLive(asked + 1));
            }
        }, fx);
    }

    private record Loaded(Terminal terminal, long from, long end, Optional<LiveOutput.Subscription> subscription, boolean stream,
                          boolean rendered) {
    }

    /** Background: the stored output as a screen, and the live feed from where it ends. */
    private Loaded read(boolean all) {
        OutputStore.RawTail tail = all ? new OutputStore.RawTail(0, store.output().raw(sessionId))
                : store.output().rawTail(sessionId, OPEN_TAIL_BYTES);
        Terminal terminal = new Terminal(PTY_COLUMNS, PTY_ROWS, all ? FULL_HISTORY_LINES : Terminal.DEFAULT_SCROLLBACK);
        Optional<SessionRecord> record = store.runs().session(sessionId);
        String profile = record.flatMap(SessionRecord::agentId).flatMap(id -> store.agents().find(id))
                .map(a -> a.profile().id()).orElse("shell");
        Transcript reader = new Transcript(profile, record.map(SessionRecord::workingDir).orElse(""));
        byte[] shown = reader.feed(tail.fromOffset(), tail.bytes());
        boolean rendered = transcript.get() && reader.isStream();
        terminal.feed(rendered ? shown : tail.bytes());
        LiveOutput.Subscription s = orchestrator.watchOutput(sessionId, tail.endOffset(), new LiveOutput.Listener() {
            @Override
            public void onOutput(long offset, byte[] bytes) {
                if (rendered) {
                    byte[] text = reader.feed(offset, bytes);
                    if (text.length > 0) {
                        view.offer(text);
                    }
                } else {
                    view.offer(offset, bytes);
                }
            }

            @Override
            public void onEnd() {
                if (rendered) {
                    view.offer(reader.end());
                }
                fx.execute(() -> live.set(false));
            }
        });
        return new Loaded(terminal, tail.fromOffset(), tail.endOffset(), Optional.of(s), reader.isStream(), rendered);
    }

    private static String describe(Loaded loaded) {
        if (loaded.from() > 0) {
            return "Showing the newest " + kib(loaded.end() - loaded.from()) + " of " + kib(loaded.end()) + " of output.";
        }
        return loaded.end() == 0 ? "No output yet." : "Showing all " + kib(loaded.end()) + " of output.";
    }

    private static String kib(long bytes) {
        return bytes < 1024 ? bytes + " bytes" : bytes < (1 << 20) ? (bytes / 1024) + " KiB"
                : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private void type(String text) {
        orchestrator.typeInto(sessionId, text).whenCompleteAsync((ok, error) -> {
            if (error != null && !closed) {
                live.set(false);
                notice.set("Input not sent: the session is not running.");
            }
        }, fx);
    }

    /** FX thread: what the newest refresh read about this session. */
    void show(String agent, String taskKey, String status, List<Event> latest) {
        title.set(agent + " · " + taskKey + " · " + status);
        boolean ended = !status.equals("running") && !status.equals("starting");
        if (ended && live.get()) {
            live.set(false);
        }
        state.set(status);
        if (!events.equals(latest)) {
            events.setAll(latest);
        }
    }

    /** Scrolls the terminal to the newest line that shows {@code event}; false when it is not in the kept output. */
    public boolean reveal(Event event) {
        String message = event.message().strip();
        for (String needle : needles(message)) {
            Optional<Integer> line = view.findLast(needle);
            if (line.isPresent()) {
                view.scrollToIndex(line.get());
                view.find(needle);
                return true;
            }
        }
        notice.set("\"" + (message.length() > 60 ? message.substring(0, 60) + "…" : message)
                + "\" is not in the output shown here (try Full history).");
        return false;
    }

    /** Ever shorter pieces of an event's message: agents print it in their own words around it. */
    private static List<String> needles(String message) {
        String firstLine = message.lines().findFirst().orElse("");
        List<String> out = new java.util.ArrayList<>();
        for (int n : new int[]{80, 40, 20}) {
            if (firstLine.length() >= Math.min(n, 6)) {
                out.add(firstLine.substring(0, Math.min(n, firstLine.length())).strip());
            }
        }
        String word = firstLine.split("[\\s({:]", 2)[0];
        if (word.length() >= 3) {
            out.add(word);
        }
        return out.stream().filter(s -> !s.isBlank()).distinct().toList();
    }

    void close() {
        closed = true;
        view.dispose();
        subscription.ifPresent(LiveOutput.Subscription::close);
        subscription = Optional.empty();
    }
}
