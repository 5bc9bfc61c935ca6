package dev.controlroom.agent;

/**
 * Where a {@link PtySession} delivers what its process prints: raw terminal bytes, {@code \r\n} line
 * ends and escape sequences included.
 */
@FunctionalInterface
public interface OutputSink {

    /**
     * Called on the session's reader thread, in output order. The buffer is reused for the next read
     * as soon as this returns: copy what you keep. Do not block for long: while this runs nobody drains
     * the PTY, and a full PTY stops the process at its next write.
     */
    void onOutput(byte[] buffer, int length);
}
