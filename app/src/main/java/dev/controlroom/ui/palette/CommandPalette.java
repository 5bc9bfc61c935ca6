package dev.controlroom.ui.palette;

import dev.controlroom.ui.palette.Commands.Command;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Popup;
import javafx.stage.Window;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * The command palette: a text field over the matching commands, best match first. Arrow keys
 * move, Enter runs, Esc or a click elsewhere closes. {@link #showShortcuts} is the same list
 * limited to commands with a shortcut: the list of keyboard shortcuts (F1).
 */
public final class CommandPalette {
    private static final double WIDTH = 520;

    private final Commands commands;
    private final Popup popup = new Popup();
    private final Label heading = new Label();
    private final TextField field = new TextField();
    private final ListView<Command> list = new ListView<>();
    private Predicate<Command> shown = c -> true;

    public CommandPalette(Commands commands) {
        this.commands = commands;
        heading.getStyleClass().add("palette-heading");
        field.setPromptText("Type a command…");
        field.getStyleClass().add("palette-field");
        list.getStyleClass().add("palette-list");
        list.setId("paletteList");
        field.setId("paletteField");
        list.setCellFactory(l -> new CommandCell());
        list.setPrefHeight(360);
        list.setFocusTraversable(false);
        VBox box = new VBox(8, heading, field, list);
        box.getStyleClass().addAll("command-palette");
        box.setPrefWidth(WIDTH);
        popup.getContent().add(box);
        popup.setAutoHide(true);
        popup.setHideOnEscape(true);
        field.textProperty().addListener((obs, old, text) -> filter(text));
        field.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
        list.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && list.getSelectionModel().getSelectedItem() != null) {
                run(list.getSelectionModel().getSelectedItem());
            }
        });
    }

    /** Opens the palette over {@code owner} with every command. */
    public void show(Window owner) {
        open(owner, "Commands", c -> true);
    }

    /** Opens the palette over {@code owner} with the commands that have a shortcut, shortcut beside each. */
    public void showShortcuts(Window owner) {
        open(owner, "Keyboard shortcuts", c -> !c.shortcuts().isEmpty());
    }

    public boolean isShowing() {
        return popup.isShowing();
    }

    public void hide() {
        popup.hide();
    }

    private void open(Window owner, String title, Predicate<Command> which) {
        shown = which;
        heading.setText(title);
        // The popup is a window of its own: it takes the main window's stylesheets and theme class to look the same.
        VBox box = (VBox) popup.getContent().getFirst();
        box.getStylesheets().setAll(owner.getScene().getStylesheets());
        box.getStyleClass().removeIf(c -> c.startsWith("theme-"));
        owner.getScene().getRoot().getStyleClass().stream().filter(c -> c.startsWith("theme-")).forEach(box.getStyleClass()::add);
        field.clear();
        filter("");
        popup.show(owner, owner.getX() + (owner.getWidth() - WIDTH) / 2, owner.getY() + Math.min(120, owner.getHeight() / 6));
        field.requestFocus();
    }

    private void filter(String query) {
        record Scored(Command command, int score, int order) {
        }
        List<Command> all = commands.all();
        List<Command> matching = java.util.stream.IntStream.range(0, all.size())
                .mapToObj(i -> {
                    OptionalInt s = FuzzyMatch.score(query, all.get(i).title());
                    return s.isPresent() && shown.test(all.get(i)) ? new Scored(all.get(i), s.getAsInt(), i) : null;
                })
                .filter(java.util.Objects::nonNull)
                .sorted(Comparator.comparingInt(Scored::score).reversed().thenComparingInt(Scored::order))
                .map(Scored::command).toList();
        list.getItems().setAll(matching);
        if (!matching.isEmpty()) {
            list.getSelectionModel().selectFirst();
            list.scrollTo(0);
        }
    }

    private void onKey(KeyEvent e) {
        int at = list.getSelectionModel().getSelectedIndex();
        int size = list.getItems().size();
        switch (e.getCode()) {
            case DOWN -> move(Math.min(size - 1, at + 1));
            case UP -> move(Math.max(0, at - 1));
            case PAGE_DOWN -> move(Math.min(size - 1, at + 10));
            case PAGE_UP -> move(Math.max(0, at - 10));
            case ENTER -> {
                Command c = list.getSelectionModel().getSelectedItem();
                if (c != null) {
                    run(c);
                }
            }
            case ESCAPE -> popup.hide();
            default -> {
                return;
            }
        }
        e.consume();
    }

    private void move(int index) {
        if (index >= 0 && index < list.getItems().size()) {
            list.getSelectionModel().select(index);
            list.scrollTo(Math.max(0, index - 4));
        }
    }

    private void run(Command c) {
        popup.hide();
        c.action().run();
    }

    /** A command's title and, at the right, its shortcut. */
    private static final class CommandCell extends ListCell<Command> {
        private final Label title = new Label();
        private final Label shortcut = new Label();
        private final HBox row;

        CommandCell() {
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            row = new HBox(12, title, gap, shortcut);
            title.getStyleClass().add("palette-title");
            shortcut.getStyleClass().add("palette-shortcut");
        }

        @Override
        protected void updateItem(Command c, boolean empty) {
            super.updateItem(c, empty);
            if (empty || c == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            title.setText(c.title());
            shortcut.setText(c.shortcutText());
            shortcut.setVisible(!c.shortcuts().isEmpty());
            setText(null);
            setGraphic(row);
        }
    }
}
