package dev.controlroom.domain;

/** A task of a stored task list: its database id, its plan, and what the plan declared. */
public record StoredTask(long id, long planId, TaskSpec spec) {
    public String key() {
        return spec.key();
    }
}
