package dev.controlroom.ui.logs;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.Store;
import dev.controlroom.ui.common.PaneLoader;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * The log pane's state: the sessions open as terminal tabs, which one is in front, whether two
 * are shown side by side. Selecting a task opens (or brings forward) its newest session; each
 * refresh updates the open tabs' headers and extracted events.
 */
public final class LogsViewModel {
    /** The event types shown beside a terminal: what a person looks for in an agent's output. */
    static final List<EventType> HIGHLIGHTED = List.of(EventType.ERROR, EventType.TOOL_CALL, EventType.NEEDS_INPUT, EventType.RATE_LIMITED, EventType.AGENT_STUCK, EventType.TEST_RESULT,
            EventType.QA_VERDICT, EventType.TURN_END);
    static final int EVENTS_PER_SESSION = 200;

    private final Store store;
    private final Orchestrator orchestrator;
    private final Executor background;
    private final Executor fx;
    private final ObservableList<SessionTab> tabs = FXCollections.observableArrayList();
    /** One wrapper kept for good: its listeners hang on it, and a wrapper made per call would be collected with them. */
    private final ObservableList<SessionTab> readOnlyTabs = FXCollections.unmodifiableObservableList(tabs);
    private final ObjectProperty<SessionTab> selected = new SimpleObjectProperty<>();
    private final BooleanProperty split = new SimpleBooleanProperty();
    /** The open sessions, readable by the loader on the background thread. */
    private final Set<String> openIds = new CopyOnWriteArraySet<>();
    /** The task and session the pane last opened by itself, so a closed tab is not reopened on every refresh. */
    private Optional<String> autoOpened = Optional.empty();

    public LogsViewModel(Store store, Orchestrator orchestrator, Executor background, Executor fx) {
        this.store = store;
        this.orchestrator = orchestrator;
        this.background = background;
        this.fx = fx;
    }

    public ObservableList<SessionTab> tabs() {
        return readOnlyTabs;
    }

    /** The tab in front (the left one when split). */
    public ObjectProperty<SessionTab> selectedProperty() {
        return selected;
    }

    /** Two terminals side by side. */
    public BooleanProperty splitProperty() {
        return split;
    }

    /** FX thread: opens a session's terminal, or brings it forward when it is open. */
    public SessionTab open(String sessionId) {
        Optional<SessionTab> existing = find(sessionId);
        if (existing.isPresent()) {
            selected.set(existing.get());
            return existing.get();
        }
        SessionTab tab = new SessionTab(sessionId, store, orchestrator, background, fx);
        openIds.add(sessionId);
        tabs.add(tab);
        selected.set(tab);
        tab.open();
        return tab;
    }

    public Optional<SessionTab> find(String sessionId) {
        return tabs.stream().filter(t -> t.sessionId().equals(sessionId)).findFirst();
    }

    /** FX thread: closes a tab and stops its live feed. */
    public void close(SessionTab tab) {
        tab.close();
        openIds.remove(tab.sessionId());
        tabs.remove(tab);
        if (selected.get() == tab) {
            selected.set(tabs.isEmpty() ? null : tabs.getLast());
        }
    }

    /** What one refresh read for the pane. */
    record Loaded(Optional<String> selectedTaskSession, Map<String, Info> open) {
    }

    /** An open session's header and events as stored. */
    record Info(String agent, String taskKey, String status, List<Event> events) {
    }

    /** The pane's part of every window refresh. */
    public PaneLoader<Loaded> loader() {
        return new PaneLoader<>() {
            @Override
            public Loaded load(Store store, Context context) {
                Optional<String> newest = context.run().flatMap(r -> context.selectedTaskId().flatMap(task -> store.runs().sessions(r.id())
                        .stream().filter(s -> s.taskId() == task).reduce((a, b) -> b))).map(SessionRecord::id);
                Set<String> ids = new java.util.HashSet<>(openIds);
                newest.ifPresent(ids::add);
                return new Loaded(newest, infos(store, ids));
            }

            @Override
            public void apply(Loaded loaded) {
                show(loaded);
            }
        };
    }

    private static Map<String, Info> infos(Store store, Set<String> ids) {
        List<SessionRecord> sessions = store.runs().sessionsById(ids);
        if (sessions.isEmpty()) {
            return Map.of();
        }
        Map<Long, String> agents = store.agents().listAll().stream().collect(Collectors.toMap(Agent::id, Agent::name));
        Map<String, Map<Long, String>> keysByRun = new HashMap<>();
        Map<String, Info> out = new HashMap<>();
        for (SessionRecord s : sessions) {
            Map<Long, String> keys = keysByRun.computeIfAbsent(s.runId(), run -> store.runs().find(run).map(RunSummary::planId)
                    .map(plan -> store.plans().tasksOf(plan).stream().collect(Collectors.toMap(StoredTask::id, StoredTask::key)))
                    .orElse(Map.of()));
            out.put(s.id(), new Info(s.agentId().map(agents::get).orElse("no agent"), keys.getOrDefault(s.taskId(), "task " + s.taskId()),
                    s.status(), store.events().ofSession(s.id(), HIGHLIGHTED, EVENTS_PER_SESSION)));
        }
        return out;
    }

    private void show(Loaded loaded) {
        if (loaded.selectedTaskSession().isPresent() && !loaded.selectedTaskSession().equals(autoOpened)) {
            autoOpened = loaded.selectedTaskSession();
            open(autoOpened.get());
        }
        for (SessionTab tab : tabs) {
            Info info = loaded.open().get(tab.sessionId());
            if (info != null) {
                tab.show(info.agent(), info.taskKey(), info.status(), info.events());
            }
        }
    }
}
