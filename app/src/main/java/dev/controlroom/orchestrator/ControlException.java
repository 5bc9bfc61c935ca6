package dev.controlroom.orchestrator;

/** A control that cannot be carried out now, with a message that says why in a person's words. */
public final class ControlException extends RuntimeException {
    public ControlException(String message) {
        super(message);
    }
}
