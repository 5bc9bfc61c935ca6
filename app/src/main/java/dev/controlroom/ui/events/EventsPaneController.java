package dev.controlroom.ui.events;

import dev.controlroom.domain.Event;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The events pane: the event log, newest first. */
public final class EventsPaneController {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private final EventsViewModel viewModel;

    @FXML
    private ListView<Event> eventList;

    public EventsPaneController(EventsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    void initialize() {
        eventList.setItems(viewModel.events());
        Label empty = new Label("Nothing has happened yet. Start a run and every agent's events show up here.");
        empty.setWrapText(true);
        empty.getStyleClass().add("empty-state");
        eventList.setPlaceholder(empty);
        eventList.setCellFactory(list -> new EventCell());
    }

    /** One event: time, type and severity on a line, the message under it. */
    static final class EventCell extends ListCell<Event> {
        private final Label time = new Label();
        private final Label type = new Label();
        private final Label message = new Label();
        private final VBox box;

        EventCell() {
            time.getStyleClass().add("event-time");
            type.getStyleClass().add("event-type");
            message.getStyleClass().add("event-message");
            message.setWrapText(true);
            box = new VBox(2, new HBox(8, time, type), message);
            box.getStyleClass().add("event-cell");
            // Wrapped text needs a width to compute its height: follow the list's width.
            listViewProperty().addListener((obs, old, list) -> {
                message.prefWidthProperty().unbind();
                if (list != null) {
                    message.prefWidthProperty().bind(list.widthProperty().subtract(36));
                }
            });
            message.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        }

        @Override
        protected void updateItem(Event event, boolean empty) {
            super.updateItem(event, empty);
            box.getStyleClass().removeIf(c -> c.startsWith("severity-"));
            if (empty || event == null) {
                setGraphic(null);
                return;
            }
            time.setText(TIME.format(event.at()));
            type.setText(event.type().replace('_', ' '));
            message.setText(event.message());
            box.getStyleClass().add("severity-" + event.severity().id());
            setGraphic(box);
        }
    }
}
