package dev.controlroom.ui.waves;

import dev.controlroom.ui.tasks.TaskRow;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;

/** The waves of the selected task list: a lane per wave, a box per task. */
public final class WavesViewModel {
    private final ObservableList<WaveLane> lanes = FXCollections.observableArrayList();
    private final ObservableList<WaveLane> readOnlyLanes = FXCollections.unmodifiableObservableList(lanes);

    public ObservableList<WaveLane> lanes() {
        return readOnlyLanes;
    }

    /** Groups rows by wave; called on the FX thread. */
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
        lanes.setAll(out);
    }
}
