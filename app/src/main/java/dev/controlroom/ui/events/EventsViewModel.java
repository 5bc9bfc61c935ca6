package dev.controlroom.ui.events;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.Severity;
import dev.controlroom.store.EventStore;
import dev.controlroom.store.Store;
import dev.controlroom.ui.common.PaneLoader;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * What the events pane shows: the newest events that pass the person's filters, newest first.
 * The filtering happens in the database; a filter change reloads at once, engine events reload
 * with the rest of the window.
 */
public final class EventsViewModel implements PaneLoader<EventsViewModel.Loaded> {
    private static final Logger LOG = Logger.getLogger(EventsViewModel.class.getName());
    /** The list holds this many; the count says how many more matched. */
    public static final int SHOWN = 300;
    private static final Context NO_CONTEXT = new Context(Optional.empty(), Optional.empty(), Optional.empty());

    /** How far back the pane looks. */
    public enum Window {
        LAST_5_MINUTES("Last 5 minutes"), LAST_HOUR("Last hour"), TODAY("Today"), ALL("All time");

        private final String label;

        Window(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        Optional<Instant> since(Clock clock) {
            return switch (this) {
                case LAST_5_MINUTES -> Optional.of(clock.instant().minus(Duration.ofMinutes(5)));
                case LAST_HOUR -> Optional.of(clock.instant().minus(Duration.ofHours(1)));
                case TODAY -> Optional.of(LocalDate.now(clock.withZone(ZoneId.systemDefault())).atStartOfDay(ZoneId.systemDefault()).toInstant());
                case ALL -> Optional.empty();
            };
        }
    }

    /** The filters as the loader thread sees them: copied from the properties on the FX thread. */
    public record Criteria(String type, String agent, String session, Severity severity, Window window, String text) {
    }

    /** One load: the page of events, and the choices of the type and agent filters. */
    public record Loaded(Criteria criteria, EventStore.Page page, List<String> types, Map<Long, String> agentNames) {
    }

    private final Store store;
    private final Executor background;
    private final Executor fx;
    private final Clock clock;
    private final Consumer<Event> openTask;
    private final ObservableList<Event> events = FXCollections.observableArrayList();
    private final ObservableList<String> types = FXCollections.observableArrayList("");
    private final ObservableList<String> agents = FXCollections.observableArrayList("");
    private final StringProperty type = new SimpleStringProperty("");
    private final StringProperty agent = new SimpleStringProperty("");
    private final StringProperty session = new SimpleStringProperty("");
    private final ObjectProperty<Severity> severity = new SimpleObjectProperty<>(Severity.DEBUG);
    private final ObjectProperty<Window> window = new SimpleObjectProperty<>(Window.ALL);
    private final StringProperty text = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper count = new ReadOnlyStringWrapper("");
    private volatile Criteria criteria = new Criteria("", "", "", Severity.DEBUG, Window.ALL, "");
    private volatile Map<Long, String> agentNames = Map.of();

    /** @param openTask selects the task an event is about, in the whole window */
    public EventsViewModel(Store store, Executor background, Executor fx, Clock clock, Consumer<Event> openTask) {
        this.store = store;
        this.background = background;
        this.fx = fx;
        this.clock = clock;
        this.openTask = openTask;
        List.of(type, agent, session, text).forEach(p -> p.addListener((obs, old, now) -> filtersChanged()));
        severity.addListener((obs, old, now) -> filtersChanged());
        window.addListener((obs, old, now) -> filtersChanged());
    }

    public ObservableList<Event> events() {
        return FXCollections.unmodifiableObservableList(events);
    }

    /** "" first (all types), then every type in the log. */
    public ObservableList<String> types() {
        return FXCollections.unmodifiableObservableList(types);
    }

    /** "" first (all agents), then every agent's name. */
    public ObservableList<String> agents() {
        return FXCollections.unmodifiableObservableList(agents);
    }

    public StringProperty typeProperty() {
        return type;
    }

    public StringProperty agentProperty() {
        return agent;
    }

    public StringProperty sessionProperty() {
        return session;
    }

    /** The least severe events shown. */
    public ObjectProperty<Severity> severityProperty() {
        return severity;
    }

    public ObjectProperty<Window> windowProperty() {
        return window;
    }

    public StringProperty textProperty() {
        return text;
    }

    /** "42 events" or "300 newest of 1,234 events". */
    public ReadOnlyStringProperty countProperty() {
        return count.getReadOnlyProperty();
    }

    /** The agent an event is about, by name, when it names one. */
    public Optional<String> agentOf(Event e) {
        return e.agentId().map(id -> agentNames.getOrDefault(id, "agent " + id));
    }

    /** Selects the event's task in the window, when it is about one. */
    public void open(Event e) {
        if (e.taskId().isPresent()) {
            openTask.accept(e);
        }
    }

    public void clearFilters() {
        type.set("");
        agent.set("");
        session.set("");
        severity.set(Severity.DEBUG);
        window.set(Window.ALL);
        text.set("");
    }

    private void filtersChanged() {
        criteria = new Criteria(nonNull(type.get()), nonNull(agent.get()), nonNull(session.get()),
                Optional.ofNullable(severity.get()).orElse(Severity.DEBUG), Optional.ofNullable(window.get()).orElse(Window.ALL),
                nonNull(text.get()));
        reload();
    }

    /** Loads with the current filters now, outside the window's refresh beat. */
    public CompletableFuture<Void> reload() {
        return CompletableFuture.supplyAsync(() -> load(store, NO_CONTEXT), background).handleAsync((loaded, error) -> {
            if (error != null) {
                LOG.log(Level.WARNING, "loading the events failed", error);
                count.set("Could not read the events: " + error.getMessage());
            } else {
                show(loaded);
            }
            return null;
        }, fx);
    }

    @Override
    public Loaded load(Store store, Context context) {
        Criteria c = criteria;
        Map<Long, String> names = store.agents().listAll().stream().collect(Collectors.toMap(Agent::id, Agent::name));
        Optional<Long> agentId = c.agent().isEmpty() ? Optional.empty()
                : names.entrySet().stream().filter(e -> e.getValue().equals(c.agent())).map(Map.Entry::getKey).findFirst()
                .or(() -> Optional.of(-1L));
        var filter = new EventStore.Filter(Optional.of(c.type()), agentId, Optional.of(c.session()), c.severity(),
                c.window().since(clock), Optional.of(c.text()), Optional.empty());
        return new Loaded(c, store.events().find(filter, SHOWN), store.events().types(), names);
    }

    @Override
    public void apply(Loaded loaded) {
        show(loaded);
    }

    private void show(Loaded loaded) {
        // Loads finish out of order when filters change fast: what an older filter read is dropped.
        if (!loaded.criteria().equals(criteria)) {
            return;
        }
        agentNames = Map.copyOf(loaded.agentNames());
        syncChoices(types, loaded.types(), type);
        syncChoices(agents, loaded.agentNames().values().stream().sorted().toList(), agent);
        if (!loaded.page().events().equals(events)) {
            events.setAll(loaded.page().events());
        }
        int shown = loaded.page().events().size();
        int total = loaded.page().total();
        String noun = total == 1 ? " event" : " events";
        count.set(shown == total ? String.format(Locale.ROOT, "%,d%s", total, noun)
                : String.format(Locale.ROOT, "%,d newest of %,d%s", shown, total, noun));
    }

    /** Keeps the chosen value even when the log no longer has it, so a choice never changes under the person. */
    private static void syncChoices(ObservableList<String> list, List<String> loaded, StringProperty chosen) {
        List<String> wanted = new java.util.ArrayList<>();
        wanted.add("");
        wanted.addAll(loaded);
        String value = nonNull(chosen.get());
        if (!value.isEmpty() && !wanted.contains(value)) {
            wanted.add(value);
        }
        if (!wanted.equals(list)) {
            list.setAll(wanted);
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
