package dev.controlroom.ui.waves;

import dev.controlroom.ui.common.TaskRow;

import java.util.List;

/** One wave of a task list and its tasks. */
public record WaveLane(int wave, List<TaskRow> tasks) {
    public WaveLane {
        tasks = List.copyOf(tasks);
    }

    public long finished() {
        return tasks.stream().filter(t -> t.status().equals("succeeded") || t.status().equals("skipped")).count();
    }
}
