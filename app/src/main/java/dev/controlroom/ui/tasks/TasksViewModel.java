package dev.controlroom.ui.tasks;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;

/** The tasks of the selected task list, with their waves and status. */
public final class TasksViewModel {
    private final ObservableList<TaskRow> rows = FXCollections.observableArrayList();
    private final ObservableList<TaskRow> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyStringWrapper heading = new ReadOnlyStringWrapper("Tasks");

    private final javafx.beans.property.ObjectProperty<TaskRow> selected = new javafx.beans.property.SimpleObjectProperty<>();

    /** The task a person selected in the table. */
    public javafx.beans.property.ObjectProperty<TaskRow> selectedProperty() {
        return selected;
    }

    public ObservableList<TaskRow> rows() {
        return readOnlyRows;
    }

    public ReadOnlyStringProperty headingProperty() {
        return heading.getReadOnlyProperty();
    }

    /** Called on the FX thread with freshly loaded rows. */
    public void show(String planName, List<TaskRow> tasks) {
        rows.setAll(tasks);
        heading.set(planName.isEmpty() ? "Tasks" : "Tasks — " + planName + " (" + tasks.size() + ")");
    }
}
