package dev.controlroom.ui.logs;

import dev.controlroom.domain.Event;
import dev.controlroom.ui.term.FindBar;
import dev.controlroom.ui.term.TerminalView;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.HashMap;
import java.util.Map;

/** The log pane: a terminal tab per open session, optionally two side by side, each with its extracted events. */
public final class LogsPaneController {
    private final LogsViewModel viewModel;
    private final Map<SessionTab, Tab> tabOf = new HashMap<>();
    private final TabPane rightTabs = new TabPane();
    private boolean syncing;

    @FXML
    private TabPane leftTabs;
    @FXML
    private SplitPane terminalSplit;
    @FXML
    private ToggleButton splitToggle;
    @FXML
    private VBox emptyState;

    public LogsPaneController(LogsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    void initialize() {
        rightTabs.getStyleClass().add("logs-tabs");
        rightTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        emptyState.visibleProperty().bind(Bindings.isEmpty(viewModel.tabs()));
        emptyState.managedProperty().bind(emptyState.visibleProperty());
        terminalSplit.visibleProperty().bind(emptyState.visibleProperty().not());
        splitToggle.selectedProperty().bindBidirectional(viewModel.splitProperty());
        viewModel.splitProperty().addListener((obs, old, on) -> showSplit(on));
        viewModel.tabs().forEach(this::add);
        viewModel.tabs().addListener((ListChangeListener<SessionTab>) c -> {
            while (c.next()) {
                c.getRemoved().forEach(this::remove);
                c.getAddedSubList().forEach(this::add);
            }
        });
        viewModel.selectedProperty().addListener((obs, old, now) -> bringForward(now));
        for (TabPane pane : new TabPane[]{leftTabs, rightTabs}) {
            pane.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
                if (!syncing && now != null) {
                    viewModel.selectedProperty().set((SessionTab) now.getUserData());
                }
            });
        }
    }

    private void add(SessionTab session) {
        Tab tab = new Tab();
        tab.setUserData(session);
        tab.textProperty().bind(session.titleProperty());
        tab.setTooltip(new Tooltip(session.sessionId()));
        // The content is built when the tab is first shown: opening twenty sessions at once stays quick.
        // Deferred to after the current event: opening many sessions at once selects each in turn, and only
        // the one still in front then needs its content.
        if (!showContentWhenSelected(tab, session)) {
            tab.selectedProperty().addListener((obs, old, now) -> javafx.application.Platform.runLater(() -> showContentWhenSelected(tab, session)));
        }
        tab.setOnClosed(e -> viewModel.close(session));
        MenuItem move = new MenuItem("Move to the other side");
        move.disableProperty().bind(viewModel.splitProperty().not());
        move.setOnAction(e -> moveToOtherSide(tab));
        MenuItem close = new MenuItem("Close");
        close.setOnAction(e -> viewModel.close(session));
        tab.setContextMenu(new ContextMenu(move, close));
        session.stateProperty().addListener((obs, old, now) -> {
            tab.getStyleClass().removeIf(s -> s.startsWith("session-state-"));
            tab.getStyleClass().add("session-state-" + now);
        });
        tabOf.put(session, tab);
        leftTabs.getTabs().add(tab);
        if (viewModel.splitProperty().get() && rightTabs.getTabs().isEmpty() && leftTabs.getTabs().size() > 1) {
            moveToOtherSide(leftTabs.getTabs().getFirst());
        }
    }

    private boolean showContentWhenSelected(Tab tab, SessionTab session) {
        if (tab.getContent() == null && tab.isSelected()) {
            tab.setContent(content(session));
        }
        return tab.getContent() != null;
    }

    private void remove(SessionTab session) {
        Tab tab = tabOf.remove(session);
        if (tab != null) {
            leftTabs.getTabs().remove(tab);
            rightTabs.getTabs().remove(tab);
        }
    }

    private void bringForward(SessionTab session) {
        Tab tab = session == null ? null : tabOf.get(session);
        if (tab == null) {
            return;
        }
        syncing = true;
        try {
            TabPane pane = tab.getTabPane();
            if (pane != null) {
                pane.getSelectionModel().select(tab);
            }
        } finally {
            syncing = false;
        }
        session.view().requestDraw();
    }

    private void showSplit(boolean on) {
        if (on) {
            terminalSplit.getItems().add(rightTabs);
            terminalSplit.setDividerPositions(0.5);
            Tab front = leftTabs.getSelectionModel().getSelectedItem();
            leftTabs.getTabs().stream().filter(t -> t != front).reduce((a, b) -> b).ifPresent(this::moveToOtherSide);
        } else {
            java.util.List<Tab> moving = java.util.List.copyOf(rightTabs.getTabs());
            rightTabs.getTabs().clear();
            leftTabs.getTabs().addAll(moving);
            terminalSplit.getItems().remove(rightTabs);
        }
    }

    private void moveToOtherSide(Tab tab) {
        TabPane from = tab.getTabPane();
        TabPane to = from == rightTabs ? leftTabs : rightTabs;
        if (from != null) {
            from.getTabs().remove(tab);
        }
        to.getTabs().add(tab);
        to.getSelectionModel().select(tab);
    }

    /** A session's tab: header line, find bar, the terminal, and its events beside it. */
    private BorderPane content(SessionTab session) {
        TerminalView view = session.view();
        FindBar find = new FindBar(view);

        Label input = new Label();
        input.getStyleClass().add("terminal-input-state");
        Runnable showInput = () -> {
            boolean live = session.liveProperty().get();
            input.setText(live ? "● Live: typing here goes to the agent" : "○ Read-only");
            input.getStyleClass().removeAll("input-live", "input-off");
            input.getStyleClass().add(live ? "input-live" : "input-off");
        };
        session.liveProperty().addListener((obs, old, now) -> showInput.run());
        showInput.run();

        Label notice = new Label();
        notice.getStyleClass().add("terminal-notice");
        notice.textProperty().bind(session.noticeProperty());
        notice.setMinWidth(0);
        HBox.setHgrow(notice, Priority.ALWAYS);
        notice.setMaxWidth(Double.MAX_VALUE);

        input.setMinWidth(Region.USE_PREF_SIZE);
        Button follow = new Button("Follow");
        follow.getStyleClass().add("terminal-follow");
        follow.setTooltip(new Tooltip("Scroll with the newest output (Ctrl+End)"));
        follow.disableProperty().bind(view.followingProperty());
        follow.setOnAction(e -> view.follow());
        Button full = new Button("Full history");
        full.setTooltip(new Tooltip("Replay everything this session printed, from the database"));
        full.disableProperty().bind(session.fullHistoryProperty());
        full.setOnAction(e -> session.loadFullHistory());
        Button findButton = new Button("Find");
        findButton.setTooltip(new Tooltip("Find in the output (Ctrl+F)"));
        findButton.setOnAction(e -> find.open());

        ToggleButton transcriptToggle = new ToggleButton("Transcript");
        transcriptToggle.setId("transcriptToggle");
        transcriptToggle.setTooltip(new Tooltip("Show the agent's JSON event stream as a readable transcript; off shows it as printed"));
        transcriptToggle.selectedProperty().bindBidirectional(session.transcriptProperty());
        transcriptToggle.visibleProperty().bind(session.streamProperty());
        transcriptToggle.managedProperty().bind(session.streamProperty());
        ToggleButton eventsToggle = new ToggleButton("Events");
        eventsToggle.setTooltip(new Tooltip("Show the errors, tool calls, questions and rate limits found in this output"));
        eventsToggle.setSelected(true);
        for (javafx.scene.control.ButtonBase b : new javafx.scene.control.ButtonBase[]{follow, full, findButton, transcriptToggle, eventsToggle}) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox header = new HBox(8, input, notice, follow, full, findButton, transcriptToggle, eventsToggle);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("terminal-header");

        VBox terminal = new VBox(find, view);
        VBox.setVgrow(view, Priority.ALWAYS);

        ListView<Event> events = new ListView<>(session.events());
        events.getStyleClass().add("session-events");
        events.setPlaceholder(wrapLabel("No errors, tool calls, questions or rate limits in this session's output yet."));
        events.setCellFactory(list -> new EventCell());
        events.setOnMouseClicked(e -> {
            Event chosen = events.getSelectionModel().getSelectedItem();
            if (chosen != null) {
                session.reveal(chosen);
            }
        });
        events.setMinWidth(120);

        // Beside the terminal, a quarter of the width: the terminal keeps most of it, also when split.
        BorderPane body = new BorderPane(terminal);
        body.setRight(events);
        events.prefWidthProperty().bind(Bindings.max(140, Bindings.min(320, body.widthProperty().multiply(0.25))));
        BorderPane.setMargin(events, new javafx.geometry.Insets(0, 0, 0, 6));
        eventsToggle.selectedProperty().addListener((obs, old, show) -> body.setRight(show ? events : null));
        BorderPane content = new BorderPane(body);
        content.setTop(header);
        content.getStyleClass().add("session-tab");
        return content;
    }

    private static Label wrapLabel(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.getStyleClass().add("logs-empty-hint");
        return l;
    }

    /** An event as one line: its kind (coloured by severity) and message; the full text in the tooltip. */
    private static final class EventCell extends ListCell<Event> {
        @Override
        protected void updateItem(Event e, boolean empty) {
            super.updateItem(e, empty);
            getStyleClass().removeIf(s -> s.startsWith("event-severity-"));
            if (empty || e == null) {
                setText(null);
                setGraphic(null);
                setTooltip(null);
                return;
            }
            Label kind = new Label(e.type().label());
            kind.getStyleClass().add("session-event-kind");
            kind.setMinWidth(Region.USE_PREF_SIZE);
            Label text = new Label(e.message().lines().findFirst().orElse(""));
            text.getStyleClass().add("session-event-text");
            text.setMinWidth(0);
            HBox row = new HBox(6, kind, text);
            row.setAlignment(Pos.CENTER_LEFT);
            setText(null);
            setGraphic(row);
            getStyleClass().add("event-severity-" + e.severity().name().toLowerCase(java.util.Locale.ROOT));
            setTooltip(new Tooltip(e.message().length() > 600 ? e.message().substring(0, 600) + "…" : e.message()));
        }
    }
}
