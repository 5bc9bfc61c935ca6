package dev.controlroom.orchestrator.launch;

import dev.controlroom.domain.AgentStatus;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.TaskContext;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.orchestrator.EngineConfig;
import dev.controlroom.orchestrator.loop.EngineLoop;
import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.state.AgentSlot;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.KillReason;
import dev.controlroom.orchestrator.state.LiveSession;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.RunProgress;
import dev.controlroom.orchestrator.state.SessionPhase;
import dev.controlroom.orchestrator.state.TaskNode;
import dev.controlroom.orchestrator.state.Transitions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Starts and ends sessions' processes. The decision to start is made and stored on the loop; the
 * worktree, the spawn (milliseconds of fork and exec) and killing a process tree happen beside
 * it, so one thread of decisions keeps many agents starting at once and never waits on a process.
 */
public final class SessionLauncher {
    private static final Logger LOG = Logger.getLogger(SessionLauncher.class.getName());
    private final AgentRuntime runtime;
    private final EngineConfig config;
    private final EngineLoop loop;
    private final Transitions transitions;
    private final RunProgress progress;
    private final Clock clock;
    private SessionListener listener;

    public SessionLauncher(AgentRuntime runtime, EngineConfig config, EngineLoop loop, Transitions transitions, RunProgress progress,
                           Clock clock) {
        this.runtime = runtime;
        this.config = config;
        this.loop = loop;
        this.transitions = transitions;
        this.progress = progress;
        this.clock = clock;
    }

    /** Who hears the sessions' signals and exits; set once, when the engine is put together. */
    public void listen(SessionListener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    /** Starts a prepared session's process, once its session is stored. */
    @FunctionalInterface
    public interface PendingStart {
        void launch();
    }

    /** Where a task works when it has no worktree: its repository and directory under the run's base. */
    public static Path workingDir(RunModel run, TaskNode node) {
        TaskContext ctx = node.task().spec().context();
        Path base = ctx.repo().map(r -> run.baseDir().resolve(r)).orElse(run.baseDir());
        return ctx.workingDir().map(base::resolve).orElse(base).normalize();
    }

    /** A session's id: its run, its task and which of the task's sessions in the run it is. */
    public static String sessionId(String runId, String taskKey, int ordinal) {
        return runId + "." + taskKey + "." + ordinal;
    }

    public static String worktreeBranch(String runId, String taskKey) {
        return "cr/" + runId + "/" + taskKey;
    }

    /**
     * Decides a task's next session on {@code slot}'s agent and adds it to {@code c}; returns the launch
     * to carry out once {@code c} is stored (a session is on disk before its process exists).
     */
    public PendingStart prepare(Changes c, RunModel run, TaskNode node, AgentSlot slot, boolean command) {
        TaskSpec spec = node.task().spec();
        String sessionId = sessionId(run.id(), node.key(), transitions.nextSessionNumber(node));
        AgentRuntime.Work work = command
                ? new AgentRuntime.Work.Command(spec.command().orElseThrow())
                : attemptPrompt(node, slot.agent(), spec.prompt().orElseGet(() -> spec.command().orElseThrow()));
        Path repo = spec.context().repo().map(run.baseDir()::resolve).orElse(run.baseDir()).normalize();
        Optional<Path> worktree = spec.context().worktree() ? Optional.of(runtime.worktreePath(repo, run.id(), node.key())) : Optional.empty();
        Path dir = worktree.map(w -> spec.context().workingDir().map(w::resolve).orElse(w).normalize()).orElseGet(() -> workingDir(run, node));
        Optional<String> branch = worktree.isPresent() ? Optional.of(worktreeBranch(run.id(), node.key())) : spec.context().branch();
        Instant now = clock.instant();
        LiveSession live = new LiveSession(sessionId, slot.agent().id(), slot.agent().profile().id(), now, spec.timeout().map(now::plus),
                dir.toString(), worktree, work);
        live.watch(run.watch().resolve(spec, slot.agent().name(), slot.agent().profile().id()));
        transitions.startSession(c, run, node, slot, live, branch, describe(work));
        c.op(tx -> tx.startIteration(sessionId, 1, work instanceof AgentRuntime.Work.Prompt p ? Optional.of(p.prompt()) : Optional.empty()));
        worktree.ifPresent(w -> c.op(tx -> tx.worktree(run.id(), node.id(), w.toString(), branch.orElseThrow())));
        progress.waveStarts(c, run, node);
        int attempt = node.attempts();
        c.event(Event.draft(EventType.TASK_STARTED, Severity.INFO, "task " + node.key() + " started on " + slot.agent().name()
                        + " (attempt " + attempt + " of " + spec.maxAttempts() + ")").withRun(run.id()).withTask(node.id())
                .withAgent(slot.agent().id()).withSession(sessionId).withPayload(Map.of("attempt", attempt, "wave", node.wave())));
        if (worktree.isEmpty()) {
            return () -> launch(run, node, live, work);
        }
        // git is slow next to a decision: the worktree is made beside the loop, which then starts the process.
        return () -> loop.offLoop(() -> {
            try {
                String base = runtime.prepareWorktree(repo, spec.context().branch(), branch.orElseThrow(), worktree.get(),
                        spec.context().copyFiles());
                loop.post(() -> {
                    live.startedFrom(base);
                    launch(run, node, live, work);
                });
            } catch (IOException | RuntimeException e) {
                loop.post(() -> listener.onExit(run, node, live, new Exit.NotStarted(e)));
            }
        });
    }

    /**
     * The prompt of a task's attempt. A later attempt that continues the agent's own session says
     * what went wrong and asks it to go on, never sending the task's prompt into that session again;
     * one that starts afresh (another agent, a CLI that cannot resume) gets the task's prompt with a
     * note of what went wrong before.
     */
    AgentRuntime.Work.Prompt attemptPrompt(TaskNode node, dev.controlroom.domain.Agent agent, String taskPrompt) {
        Optional<String> resume = node.resumeIdFor(agent.id());
        Optional<String> failure = node.lastFailure();
        AgentRuntime.Work.Prompt fresh = new AgentRuntime.Work.Prompt(agent, taskPrompt, Optional.empty());
        if (resume.isPresent() && runtime.canResume(fresh)) {
            String text = failure.map(f -> "Control Room: your previous attempt at this task ended: " + f + ".\n"
                    + "Continue the task from where it stands now (your earlier work is still in place); do not start over.")
                    .orElse("Control Room: your previous attempt at this task was interrupted. Continue the task from where it stands now.");
            return new AgentRuntime.Work.Prompt(agent, text, resume);
        }
        return failure.map(f -> new AgentRuntime.Work.Prompt(agent, taskPrompt + "\n\n(Control Room: an earlier attempt at this task ended: "
                + f + ". Its work may be in place already.)", Optional.<String>empty())).orElse(fresh);
    }

    /** Starts one process of a session (its first, or the next iteration): decided here, spawned beside the loop. */
    public void launch(RunModel run, TaskNode node, LiveSession live, AgentRuntime.Work work) {
        Path dir = Path.of(live.workingDir());
        TaskSpec spec = node.task().spec();
        Map<String, String> env = SessionEnvironment.forProcess(spec.context().env(), run.id(), node.key(), live.sessionId(), node.attempts());
        transitions.relaunch(live, work);
        List<String> setup = live.iteration() == 1 ? spec.context().setup() : List.of();
        AgentRuntime.SessionContext context = new AgentRuntime.SessionContext(run.id(), node.id(), live.agentId(), live.iteration());
        AgentRuntime.Launch launch = new AgentRuntime.Launch(live.sessionId(), work, setup, dir, env, context,
                signal -> loop.post(() -> listener.onSignal(run, node, live, signal)));
        loop.offLoop(() -> {
            try {
                if (!Files.isDirectory(dir)) {
                    throw new IOException("working directory " + dir + " does not exist");
                }
                AgentRuntime.Process process = runtime.start(launch);
                if (!loop.post(() -> attach(run, node, live, process))) {
                    process.kill(config.killGrace()); // Control Room is closing: no process may outlive it unseen
                }
            } catch (IOException | RuntimeException e) {
                if (!loop.post(() -> listener.onExit(run, node, live, new Exit.NotStarted(e)))) {
                    LOG.fine("a session failed to start while Control Room was closing: " + e.getMessage());
                }
            }
        });
    }

    /** Starts the session's next process (an iteration, an answer) with {@code next}, once {@code c} is stored. */
    public void continueWith(Changes c, RunModel run, TaskNode node, LiveSession live, AgentRuntime.Work.Prompt next) {
        int number = live.iteration();
        c.op(tx -> tx.startIteration(live.sessionId(), number, Optional.of(next.prompt())));
        c.op(tx -> tx.agentStatus(live.agentId(), AgentStatus.BUSY));
        if (loop.commit(c)) {
            launch(run, node, live, next);
        }
    }

    /**
     * The next prompt of a session: it continues the agent's own session when the CLI can resume
     * one, and otherwise starts afresh with {@code freshPrefix} before {@code text}.
     */
    public AgentRuntime.Work.Prompt followUp(AgentRuntime.Work.Prompt previous, LiveSession live, String text, String freshPrefix) {
        boolean resume = canResume(previous, live);
        return new AgentRuntime.Work.Prompt(previous.agent(), resume ? text : freshPrefix + text, resume ? live.nativeId() : Optional.empty());
    }

    public boolean canResume(AgentRuntime.Work.Prompt previous, LiveSession live) {
        return runtime.canResume(previous) && live.nativeId().isPresent();
    }

    /** A started process joins its session: its pid is stored, its exit followed, and a kill asked for meanwhile done. */
    private void attach(RunModel run, TaskNode node, LiveSession live, AgentRuntime.Process process) {
        if (!node.isLive(live)) {
            loop.offLoop(() -> process.kill(config.killGrace())); // the session ended while its process started
            return;
        }
        transitions.attach(live, process);
        Changes c = new Changes();
        c.op(tx -> tx.sessionRunning(live.sessionId(), process.pid(), process.startTime()));
        loop.commit(c);
        process.exit().whenComplete((code, error) -> loop.post(() -> listener.onExit(run, node, live,
                error != null ? new Exit.NotStarted(error) : new Exit.Code(code))));
        if (live.killed().isPresent()) {
            loop.offLoop(() -> process.kill(config.killGrace()));
        }
    }

    /**
     * Ends a session's process (and everything it started) beside the loop; its exit then says what
     * happened. A process still being made is killed when it attaches. Returns false when the
     * session was already being ended.
     */
    public boolean kill(LiveSession live, KillReason why) {
        if (!live.markKilled(why)) {
            return false;
        }
        if (live.phase() == SessionPhase.RUNNING) {
            live.process().ifPresent(p -> loop.offLoop(() -> p.kill(config.killGrace())));
        }
        return true;
    }

    private static String describe(AgentRuntime.Work work) {
        return switch (work) {
            case AgentRuntime.Work.Command c -> c.line();
            case AgentRuntime.Work.Prompt p -> p.agent().profile().id() + ": " + firstLine(p.prompt())
                    + p.resume().map(r -> " (resuming " + r + ")").orElse("");
        };
    }

    /** The first line of a text, cut to what a list shows. */
    public static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
