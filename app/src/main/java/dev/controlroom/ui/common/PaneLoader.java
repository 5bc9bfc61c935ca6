package dev.controlroom.ui.common;

import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.store.Store;

import java.util.Optional;

/**
 * A pane's own part of every refresh: {@link #load} reads what the pane needs on the background
 * executor, right after the window's snapshot; {@link #apply} hands it to the pane on the FX thread
 * in the same beat. The window registers each pane's loader when it builds the pane.
 */
public interface PaneLoader<T> {

    /** What the refresh is about: the task list in view, its newest run, the selected task. */
    record Context(Optional<PlanSummary> plan, Optional<RunSummary> run, Optional<Long> selectedTaskId) {
    }

    /** Background thread: read from the store. */
    T load(Store store, Context context);

    /** FX thread: show what {@link #load} read. */
    void apply(T loaded);
}
