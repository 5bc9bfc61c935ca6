package dev.controlroom.ui.logs;

import dev.controlroom.domain.Event;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;

/** What the log pane shows: the newest events of the event log, newest first. */
public final class LogsViewModel {
    private final ObservableList<Event> events = FXCollections.observableArrayList();
    private final ObservableList<Event> readOnlyEvents = FXCollections.unmodifiableObservableList(events);

    public ObservableList<Event> events() {
        return readOnlyEvents;
    }

    public void show(List<Event> latest) {
        events.setAll(latest);
    }
}
