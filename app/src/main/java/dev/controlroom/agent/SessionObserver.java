package dev.controlroom.agent;

import dev.controlroom.orchestrator.port.AgentRuntime;

/**
 * Watches one session's clean output lines as they arrive (on its reader thread): extraction
 * into events, live views. Made per session by a {@link Factory}.
 */
public interface SessionObserver {
    void onLine(String line);

    /** The output has ended. */
    void onEnd();

    /** The output paused on a line with no newline yet (a prompt waiting for an answer). */
    default void onOpenLine(String text) {
    }

    /**
     * What the runtime knows of a session's process as it starts it.
     *
     * @param profileId  the agent profile whose output this is ("shell" for commands)
     * @param structured whether the CLI prints its JSON event stream
     * @param model      the model the CLI was started on, when known before it says so (its agent's model, Codex's config)
     * @param executable the agent CLI's executable, when it was found
     */
    record Started(String profileId, boolean structured, java.util.Optional<String> model, java.util.Optional<java.nio.file.Path> executable) {
        public static Started shell() {
            return new Started("shell", false, java.util.Optional.empty(), java.util.Optional.empty());
        }
    }

    /** Makes the observer of a session. */
    @FunctionalInterface
    interface Factory {
        SessionObserver create(String sessionId, AgentRuntime.SessionContext context, Started started, AgentRuntime.SignalListener signals);
    }

    SessionObserver NONE = new SessionObserver() {
        @Override
        public void onLine(String line) {
        }

        @Override
        public void onEnd() {
        }
    };
}
