package dev.controlroom.ui.events;

import dev.controlroom.domain.Event;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;

/** What the events pane shows: the newest events, newest first. */
public final class EventsViewModel {
    private final ObservableList<Event> events = FXCollections.observableArrayList();
    private final ObservableList<Event> readOnlyEvents = FXCollections.unmodifiableObservableList(events);

    public ObservableList<Event> events() {
        return readOnlyEvents;
    }

    /** Called on the FX thread with the newest events. */
    public void show(List<Event> latest) {
        events.setAll(latest);
    }
}
