package dev.controlroom.ui.waves;

import dev.controlroom.ui.common.TaskRow;
import javafx.beans.property.ObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The waves of the selected task list: a lane per wave, a box per task, and which task is selected. */
public final class WavesViewModel {
    private final ObservableList<WaveLane> lanes = FXCollections.observableArrayList();
    private final ObservableList<WaveLane> readOnlyLanes = FXCollections.unmodifiableObservableList(lanes);
    private final ObjectProperty<TaskRow> selected;
    private final ObservableValue<Optional<String>> selectedKey;

    /** @param selected the window's selected task, shared with every pane */
    public WavesViewModel(ObjectProperty<TaskRow> selected) {
        this.selected = selected;
        this.selectedKey = selected.map(r -> Optional.of(r.key())).orElse(Optional.empty());
    }

    public ObservableList<WaveLane> lanes() {
        return readOnlyLanes;
    }

    /** The key of the selected task, which stays the same when its row is reloaded with a new status. */
    public ObservableValue<Optional<String>> selectedKeyProperty() {
        return selectedKey;
    }

    /** Selects the task everywhere in the window. */
    public void select(String key) {
        lanes.stream().flatMap(l -> l.tasks().stream()).filter(t -> t.key().equals(key)).findFirst().ifPresent(selected::set);
    }

    /** The tasks {@code key} depends on and the tasks that depend on it. */
    public Set<String> relatedTo(String key) {
        Set<String> related = new HashSet<>();
        lanes.forEach(l -> l.tasks().forEach(t -> {
            if (t.key().equals(key)) {
                related.addAll(t.task().spec().dependsOn());
            } else if (t.task().spec().dependsOn().contains(key)) {
                related.add(t.key());
            }
        }));
        return related;
    }

    /** Groups rows by wave; called on the FX thread. Equal lanes are left alone so the pane does not redraw. */
    public void show(List<TaskRow> tasks) {
        int count = tasks.stream().mapToInt(TaskRow::wave).max().orElse(-1) + 1;
        List<List<TaskRow>> byWave = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byWave.add(new ArrayList<>());
        }
        tasks.forEach(t -> byWave.get(t.wave()).add(t));
        List<WaveLane> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new WaveLane(i, byWave.get(i)));
        }
        if (!out.equals(lanes)) {
            lanes.setAll(out);
        }
    }
}
