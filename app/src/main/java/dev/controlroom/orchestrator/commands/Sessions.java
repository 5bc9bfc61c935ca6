package dev.controlroom.orchestrator.commands;

import dev.controlroom.orchestrator.launch.Exit;
import dev.controlroom.orchestrator.launch.SessionLauncher;
import dev.controlroom.orchestrator.outcomes.ExitOutcome;
import dev.controlroom.orchestrator.state.KillReason;
import dev.controlroom.orchestrator.state.LiveSession;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.SessionPhase;
import dev.controlroom.orchestrator.state.TaskNode;

/** Ends a live session for a person's reason, whatever phase it is in. */
public final class Sessions {
    private final SessionLauncher launcher;
    private final ExitOutcome exits;

    public Sessions(SessionLauncher launcher, ExitOutcome exits) {
        this.launcher = launcher;
        this.exits = exits;
    }

    /**
     * A running process is killed and its exit says the rest; a session waiting for an answer has
     * no process, so it ends here and now.
     */
    public void end(RunModel run, TaskNode node, LiveSession live, KillReason why) {
        if (live.phase() == SessionPhase.AWAITING_ANSWER) {
            if (live.markKilled(why)) {
                exits.onExit(run, node, live, new Exit.NoProcess());
            }
            return;
        }
        launcher.kill(live, why);
    }
}
