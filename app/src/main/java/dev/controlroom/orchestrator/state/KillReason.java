package dev.controlroom.orchestrator.state;

/** Why a session was ended by the engine rather than by itself: decides what its exit means. */
public enum KillReason {
    TIMEOUT, CANCELLED, STOPPED, REASSIGNED, SKIPPED, STUCK, TERMINATED;

    /** The task goes back to the queue rather than counting a failed attempt. */
    public boolean requeues() {
        return this == STOPPED || this == REASSIGNED;
    }
}
