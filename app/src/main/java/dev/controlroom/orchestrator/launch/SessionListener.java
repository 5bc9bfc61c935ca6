package dev.controlroom.orchestrator.launch;

import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.state.LiveSession;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.TaskNode;

/** What a session's process tells the engine, heard on the loop thread. */
public interface SessionListener {
    void onSignal(RunModel run, TaskNode node, LiveSession live, AgentRuntime.Signal signal);

    void onExit(RunModel run, TaskNode node, LiveSession live, Exit exit);
}
