package dev.controlroom.ui.logs;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;

/** What the log pane shows: the output of the selected task's newest session. */
public final class LogsViewModel {
    /** How much of a session's output the pane holds; the whole of it stays in the database. */
    public static final int OUTPUT_LINES_SHOWN = 1000;

    private final ObservableList<String> output = FXCollections.observableArrayList();
    private final ObservableList<String> readOnlyOutput = FXCollections.unmodifiableObservableList(output);
    private final javafx.beans.property.ReadOnlyStringWrapper outputTitle = new javafx.beans.property.ReadOnlyStringWrapper(
            "Select a task to see what its agent printed.");

    public ObservableList<String> output() {
        return readOnlyOutput;
    }

    public javafx.beans.property.ReadOnlyStringProperty outputTitleProperty() {
        return outputTitle.getReadOnlyProperty();
    }

    /** The last lines of a session's output (FX thread). */
    public void showOutput(String title, List<String> lines) {
        outputTitle.set(title);
        if (!output.equals(lines)) {
            output.setAll(lines);
        }
    }

}
