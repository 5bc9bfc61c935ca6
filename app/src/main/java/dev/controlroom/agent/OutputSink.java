package dev.controlroom.agent;

/** Receives output bytes on the session's reader thread, in order; must not block for long. */
@FunctionalInterface
public interface OutputSink {
    void onOutput(byte[] buffer, int length);
}
