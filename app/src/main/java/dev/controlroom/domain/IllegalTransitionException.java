package dev.controlroom.domain;

/** A state change the transition table does not allow. */
public final class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(String message) {
        super(message);
    }
}
