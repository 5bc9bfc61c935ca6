package dev.controlroom.ui.term;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

/** The find bar of a terminal view: type to find, Enter / Shift+Enter for next / previous, Escape to close. */
public final class FindBar extends HBox {
    private final TextField field = new TextField();
    private final Label count = new Label();

    public FindBar(TerminalView view) {
        getStyleClass().add("terminal-find-bar");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(6);
        field.setPromptText("Find in output");
        field.getStyleClass().add("terminal-find-field");
        HBox.setHgrow(field, Priority.ALWAYS);
        Button previous = new Button("↑");
        previous.setTooltip(new javafx.scene.control.Tooltip("Previous match (Shift+Enter)"));
        previous.setOnAction(e -> view.findPrevious());
        Button next = new Button("↓");
        next.setTooltip(new javafx.scene.control.Tooltip("Next match (Enter)"));
        next.setOnAction(e -> view.findNext());
        Button close = new Button("✕");
        close.setTooltip(new javafx.scene.control.Tooltip("Close (Escape)"));
        close.setOnAction(e -> close(view));
        count.getStyleClass().add("terminal-find-count");
        count.setMinWidth(70);
        getChildren().addAll(field, count, previous, next, close);
        field.textProperty().addListener((obs, old, now) -> view.find(now));
        field.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                if (e.isShiftDown()) {
                    view.findPrevious();
                } else {
                    view.findNext();
                }
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                close(view);
                e.consume();
            }
        });
        Runnable showCount = () -> count.setText(field.getText().isEmpty() ? ""
                : view.matchCountProperty().get() == 0 ? "no matches"
                : (view.matchIndexProperty().get() + 1) + " of " + view.matchCountProperty().get());
        view.matchCountProperty().addListener((obs, old, now) -> showCount.run());
        view.matchIndexProperty().addListener((obs, old, now) -> showCount.run());
        field.textProperty().addListener((obs, old, now) -> showCount.run());
        setVisible(false);
        setManaged(false);
        view.findRequestedProperty().addListener((obs, old, now) -> {
            if (now) {
                open();
                view.findShown();
            }
        });
    }

    public void open() {
        setVisible(true);
        setManaged(true);
        field.requestFocus();
        field.selectAll();
    }

    private void close(TerminalView view) {
        field.clear();
        setVisible(false);
        setManaged(false);
        view.requestFocus();
    }

    public TextField field() {
        return field;
    }
}
