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
