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

    /** Makes the observer of a session. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param profileId  the agent profile whose output this is ("shell" for commands)
         * @param structured whether the CLI prints its JSON event stream
         */
        SessionObserver create(String sessionId, AgentRuntime.SessionContext context, String profileId, boolean structured,
                               AgentRuntime.SignalListener signals);
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
