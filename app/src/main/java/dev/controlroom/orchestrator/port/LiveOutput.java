package dev.controlroom.orchestrator.port;

/**
 * The raw bytes running sessions print, as they print them, for whoever shows them live (the
 * terminal views). Bytes are redacted exactly as the stored output is, so nothing reaches a screen
 * that the database does not hold too.
 */
public interface LiveOutput {

    /** Hears one session's output on its reader thread: keep it quick (queue and return). */
    interface Listener {
        /** {@code bytes} start at {@code offset} of the session's whole output; the array is the listener's to keep. */
        void onOutput(long offset, byte[] bytes);

        /** The session's current process ended; all its output is stored. */
        default void onEnd() {
        }
    }

    /** Stops the listener; closing twice is harmless. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Starts delivering a session's output from {@code fromOffset} on: what was printed recently
     * before the call and at or after that offset comes first (so a view that read the database up
     * to {@code fromOffset} misses nothing), then everything new.
     */
    Subscription subscribe(String sessionId, long fromOffset, Listener listener);

    /** For runtimes that have no live output: nothing is ever delivered. */
    LiveOutput NONE = (sessionId, fromOffset, listener) -> () -> { };
}
