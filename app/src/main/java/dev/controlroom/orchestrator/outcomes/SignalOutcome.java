package dev.controlroom.orchestrator.outcomes;

import dev.controlroom.domain.AgentStatus;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Severity;
import dev.controlroom.orchestrator.EngineConfig;
import dev.controlroom.orchestrator.launch.SessionLauncher;
import dev.controlroom.orchestrator.loop.EngineLoop;
import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.port.AgentRuntime.Signal;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.LiveSession;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.TaskNode;
import dev.controlroom.orchestrator.steps.WatchSessions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import dev.controlroom.domain.FailureClass;
import java.util.Map;
import java.util.Optional;

/** What the agent's output says while it runs: its own session id, questions, rate limits, tokens, errors, the end of its turn. */
public final class SignalOutcome {
    /** The same error seen again within this gap is the same occurrence, not a repetition. */
    static final Duration ERROR_REPEAT_GAP = Duration.ofSeconds(5);
    private final EngineLoop loop;
    private final WatchSessions watchdog;
    private final EngineConfig config;
    private final Clock clock;

    public SignalOutcome(EngineLoop loop, WatchSessions watchdog, EngineConfig config, Clock clock) {
        this.loop = loop;
        this.watchdog = watchdog;
        this.config = config;
        this.clock = clock;
    }

    public void onSignal(RunModel run, TaskNode node, LiveSession live, Signal signal) {
        if (!node.isLive(live)) {
            return;
        }
        Changes c = new Changes();
        switch (signal) {
            case Signal.NativeSession s -> {
                if (live.nativeId().equals(Optional.of(s.id()))) {
                    return;
                }
                live.nativeId(s.id());
                node.resumeFrom(s.id(), live.agentId());
                c.op(tx -> tx.nativeSession(live.sessionId(), s.id()));
            }
            case Signal.NeedsInput q -> {
                live.turn().asked(q.question());
                c.op(tx -> tx.agentStatus(live.agentId(), AgentStatus.WAITING));
                c.event(Event.draft(EventType.NEEDS_INPUT, Severity.WARNING, "task " + node.key() + " asks: "
                                + SessionLauncher.firstLine(q.question()))
                        .withRun(run.id()).withTask(node.id()).withAgent(live.agentId()).withSession(live.sessionId())
                        .withPayload(Map.of("question", q.question(), "task", node.key())));
            }
            case Signal.RateLimited r -> {
                live.turn().limited(r.resetAt());
                c.op(tx -> tx.agentStatus(live.agentId(), AgentStatus.RATE_LIMITED));
                c.event(Event.draft(EventType.RATE_LIMITED, Severity.WARNING, "task " + node.key() + " is rate limited"
                                + r.resetAt().map(t -> " until " + t).orElse("") + ": " + SessionLauncher.firstLine(r.detail()))
                        .withRun(run.id()).withTask(node.id()).withAgent(live.agentId()).withSession(live.sessionId()));
            }
            case Signal.Usage u -> {
                int number = live.iteration();
                c.op(tx -> tx.tokens(live.sessionId(), number, run.id(), node.id(), live.agentId(), u.model(), u.input(), u.output(),
                        u.cacheRead(), u.cacheWrite()));
            }
            case Signal.Error e -> {
                Optional<FailureClass> provider = e.httpStatus().flatMap(FailureClass::ofStatus).or(() -> FailureClass.ofApiError(e.message()));
                if (provider.isPresent()) {
                    // A provider's error is not the agent looping: it is classified, never counted as a repeat.
                    live.turn().noteError(provider.get());
                    return;
                }
                if (repeatedError(c, run, node, live, e)) {
                    return;
                }
            }
            case Signal.ProviderRetry r -> {
                // The CLI retries by itself: it is working, and gets the time it said it will wait on top of the threshold.
                Instant now = clock.instant();
                live.progressed(now.plus(r.delay().orElse(Duration.ZERO)), "the CLI retries a failed request: " + r.detail());
                r.status().flatMap(FailureClass::ofStatus).ifPresent(live.turn()::noteError);
                return;
            }
            case Signal.TurnEnd t -> {
                live.turn().ended(t.isError(), t.result());
                if (t.isError()) {
                    t.result().flatMap(FailureClass::ofApiError).ifPresent(live.turn()::noteError);
                }
            }
        }
        loop.commit(c);
    }

    /**
     * An agent looping on one error retries it: an error counts again only after a pause, so one
     * build printing the same error for ten files counts once. Shell commands do not loop. At the
     * limit the agent is stuck, and gets the policy for this condition (by default: another agent).
     */
    private boolean repeatedError(Changes c, RunModel run, TaskNode node, LiveSession live, Signal.Error e) {
        if (!(live.work() instanceof AgentRuntime.Work.Prompt)) {
            return true;
        }
        Optional<Integer> seen = live.countError(e.fingerprint(), clock.instant(), ERROR_REPEAT_GAP);
        if (seen.isEmpty() || seen.get() < config.repeatedErrorLimit() || live.killed().isPresent()) {
            return seen.isEmpty();
        }
        loop.commit(c);
        watchdog.act(run, node, live, live.watch().onRepeatedError(), "repeated_error",
                "the same error " + seen.get() + " times: " + SessionLauncher.firstLine(e.message()),
                Map.of("signal", "repeated_error", "count", seen.get(), "fingerprint", e.fingerprint()), clock.instant());
        return true;
    }
}
