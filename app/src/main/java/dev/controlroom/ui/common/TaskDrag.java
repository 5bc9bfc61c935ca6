package dev.controlroom.ui.common;

import javafx.scene.input.DataFormat;

/**
 * What a dragged task carries between panes (tasks table, board, waves, agent cards): the task's
 * key. One format for the whole window, because JavaFX refuses a second DataFormat with the same
 * MIME type.
 */
public final class TaskDrag {
    public static final DataFormat FORMAT = new DataFormat("application/x-control-room-task");

    private TaskDrag() {
    }
}
