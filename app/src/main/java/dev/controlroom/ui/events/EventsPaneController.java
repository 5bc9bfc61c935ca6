package dev.controlroom.ui.events;

import dev.controlroom.domain.Event;
import dev.controlroom.domain.Severity;
import javafx.animation.PauseTransition;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.StringProperty;
import javafx.fxml.FXML;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import javafx.util.StringConverter;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

/** The events pane: the event log, newest first, filtered in the database. Binds and forwards. */
public final class EventsPaneController {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private final EventsViewModel viewModel;
    private final BooleanProperty notificationsMuted;

    @FXML
    private Label eventCountLabel;
    @FXML
    private ToggleButton muteToggle;
    @FXML
    private TextField searchField;
    @FXML
    private ComboBox<Severity> severityFilter;
    @FXML
    private ComboBox<EventsViewModel.Window> timeFilter;
    @FXML
    private ComboBox<String> typeFilter;
    @FXML
    private ComboBox<String> eventAgentFilter;
    @FXML
    private TextField sessionFilter;
    @FXML
    private ListView<Event> eventList;

    /** @param notificationsMuted the window's "no desktop notifications" setting */
    public EventsPaneController(EventsViewModel viewModel, BooleanProperty notificationsMuted) {
        this.viewModel = viewModel;
        this.notificationsMuted = notificationsMuted;
    }

    @FXML
    void initialize() {
        eventList.setItems(viewModel.events());
        Label empty = new Label("No events match. Start a run and every agent's events show up here; with filters set, clear them to see all.");
        empty.setWrapText(true);
        empty.getStyleClass().add("empty-state");
        eventList.setPlaceholder(empty);
        eventList.setCellFactory(list -> new EventCell());
        eventCountLabel.textProperty().bind(viewModel.countProperty());

        severityFilter.getItems().setAll(Severity.DEBUG, Severity.INFO, Severity.WARNING, Severity.ERROR);
        severityFilter.setConverter(converter(s -> switch (s) {
            case DEBUG -> "All severities";
            case INFO -> "Info and up";
            case WARNING -> "Warnings and up";
            default -> "Errors only";
        }));
        severityFilter.valueProperty().bindBidirectional(viewModel.severityProperty());
        timeFilter.getItems().setAll(EventsViewModel.Window.values());
        timeFilter.setConverter(converter(EventsViewModel.Window::label));
        timeFilter.valueProperty().bindBidirectional(viewModel.windowProperty());
        choices(typeFilter, viewModel.types(), viewModel.typeProperty(), "All types", t -> t.replace('_', ' '));
        choices(eventAgentFilter, viewModel.agents(), viewModel.agentProperty(), "All agents", Function.identity());
        debounced(searchField, viewModel.textProperty());
        debounced(sessionFilter, viewModel.sessionProperty());

        muteToggle.selectedProperty().bindBidirectional(notificationsMuted);
        muteToggle.textProperty().bind(notificationsMuted.map(m -> m ? "Notifications off" : "Notifications on"));
        muteToggle.setId("muteNotifications");
    }

    @FXML
    void onClear() {
        viewModel.clearFilters();
        searchField.clear();
        sessionFilter.clear();
    }

    /**
     * A choice box whose items are reloaded: the person's choice lives in the view model, and the
     * box is only told again after its items changed, so a reload never resets a filter.
     */
    private static void choices(ComboBox<String> box, javafx.collections.ObservableList<String> items, StringProperty chosen,
                                String allLabel, Function<String, String> label) {
        box.setItems(items);
        box.setConverter(converter(v -> v.isEmpty() ? allLabel : label.apply(v)));
        box.setValue(chosen.get());
        box.valueProperty().addListener((obs, old, value) -> {
            if (value != null && !value.equals(chosen.get())) {
                chosen.set(value);
            }
        });
        chosen.addListener((obs, old, value) -> box.setValue(value));
        items.addListener((javafx.collections.ListChangeListener<String>) change -> box.setValue(chosen.get()));
    }

    /** Typing reloads once the person pauses, not on every key. */
    private static void debounced(TextField field, StringProperty target) {
        PauseTransition pause = new PauseTransition(Duration.millis(250));
        pause.setOnFinished(e -> target.set(field.getText()));
        field.textProperty().addListener((obs, old, now) -> pause.playFromStart());
        field.setOnAction(e -> {
            pause.stop();
            target.set(field.getText());
        });
    }

    private static <T> StringConverter<T> converter(Function<T, String> label) {
        return new StringConverter<>() {
            @Override
            public String toString(T value) {
                return value == null ? "" : label.apply(value);
            }

            @Override
            public T fromString(String s) {
                throw new UnsupportedOperationException("filters are chosen, not typed");
            }
        };
    }

    /** One event: time, type and whom it is about on a line, the message under it; coloured by severity. */
    final class EventCell extends ListCell<Event> {
        private final Label time = new Label();
        private final Label type = new Label();
        private final Label about = new Label();
        private final Label message = new Label();
        private final VBox box;

        EventCell() {
            time.getStyleClass().add("event-time");
            type.getStyleClass().add("event-type");
            about.getStyleClass().add("event-about");
            message.getStyleClass().add("event-message");
            message.setWrapText(true);
            box = new VBox(2, new HBox(8, time, type, about), message);
            box.getStyleClass().add("event-cell");
            // Wrapped text needs a width to compute its height: follow the list's width.
            listViewProperty().addListener((obs, old, list) -> {
                message.prefWidthProperty().unbind();
                if (list != null) {
                    message.prefWidthProperty().bind(list.widthProperty().subtract(36));
                }
            });
            message.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            setOnMouseClicked(e -> {
                if (!isEmpty() && getItem() != null) {
                    viewModel.open(getItem());
                }
            });
        }

        @Override
        protected void updateItem(Event event, boolean empty) {
            super.updateItem(event, empty);
            box.getStyleClass().removeIf(c -> c.startsWith("severity-") || c.equals("event-with-task"));
            if (empty || event == null) {
                setGraphic(null);
                return;
            }
            time.setText(TIME.format(event.at()));
            type.setText(event.type().label());
            List<String> parts = new java.util.ArrayList<>();
            viewModel.agentOf(event).ifPresent(parts::add);
            event.sessionId().ifPresent(parts::add);
            about.setText(String.join(" · ", parts));
            message.setText(event.message());
            box.getStyleClass().add("severity-" + event.severity().id());
            if (event.taskId().isPresent()) {
                box.getStyleClass().add("event-with-task");
            }
            setGraphic(box);
        }
    }
}
