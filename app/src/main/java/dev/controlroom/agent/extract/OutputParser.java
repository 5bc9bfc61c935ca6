package dev.controlroom.agent.extract;

import java.util.List;

/**
 * Reads one session's output and reports what happened in it. Stateful (stack traces, streamed
 * messages and test counts span lines), so one instance per session, fed from one thread.
 */
public interface OutputParser {
    /** One clean text line (escape sequences already stripped, no line ending), in output order. */
    List<AgentEvent> onLine(String line);

    /** The output ended (process exited): flush anything pending (e.g. a stack trace being collected). */
    List<AgentEvent> onEnd();
}
