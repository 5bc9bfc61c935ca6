package dev.controlroom.orchestrator.launch;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** The environment a session's processes and its verify commands get: who they are, and what the task asked for. */
public final class SessionEnvironment {
    private SessionEnvironment() {
    }

    /** The ids a process can read to know its run, task and session. */
    public static Map<String, String> ids(String runId, String taskKey, String sessionId) {
        return Map.of("CONTROL_ROOM_RUN_ID", runId, "CONTROL_ROOM_TASK_ID", taskKey, "CONTROL_ROOM_SESSION_ID", sessionId);
    }

    /** This process's environment, then the task's own variables, the ids, the attempt, a free port and a terminal type. */
    public static Map<String, String> forProcess(Map<String, String> taskEnv, String runId, String taskKey, String sessionId, int attempt) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(taskEnv);
        env.putAll(ids(runId, taskKey, sessionId));
        env.put("CONTROL_ROOM_ATTEMPT", Integer.toString(attempt));
        env.putIfAbsent("PORT", Integer.toString(freePort()));
        env.putIfAbsent("TERM", "xterm-256color");
        return env;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            return 0;
        }
    }
}
