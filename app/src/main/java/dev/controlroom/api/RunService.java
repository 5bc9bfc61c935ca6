package dev.controlroom.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.Store;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What every door does with runs and sessions: start a run by the engine, read runs with their
 * waves, and page through a session's clean output. Refusals are {@link Problem}s naming what is wrong.
 */
public final class RunService {
    private final Store store;
    private final Orchestrator engine;

    public RunService(Store store, Orchestrator engine) {
        this.store = store;
        this.engine = engine;
    }

    /** A run state's id; a 400 naming the choices otherwise. */
    public static String status(String s) {
        if (Arrays.stream(RunState.values()).noneMatch(r -> r.id().equals(s))) {
            throw Problem.badField("status", "status must be one of " + Arrays.stream(RunState.values()).map(RunState::id)
                    .collect(Collectors.joining(", ")) + "; not '" + s + "'");
        }
        return s;
    }

    /** The newest runs first, without their waves. */
    public List<Views.RunView> list(Optional<Long> taskListId, Optional<String> status, int limit) {
        status.ifPresent(RunService::status);
        return store.runs().latest(taskListId.isPresent() || status.isPresent() ? 10_000 : limit).stream()
                .filter(r -> taskListId.map(id -> r.planId() == id).orElse(true))
                .filter(r -> status.map(r.state().id()::equals).orElse(true))
                .limit(limit).map(r -> Views.RunView.of(r, Optional.empty())).toList();
    }

    /** {@code {task_list_id, concurrency?, wave_mode?}}: starts a run by the engine; its id is the run's one id everywhere. */
    public Views.RunView start(ObjectNode body, String startedBy) {
        Requests.onlyFields(body, Set.of("task_list_id", "concurrency", "wave_mode"), "a new run");
        long listId = Requests.number(body, "task_list_id").orElseThrow(() -> Problem.badField("task_list_id", "task_list_id is required"));
        Optional<Long> concurrency = Requests.number(body, "concurrency");
        if (concurrency.isPresent() && (concurrency.get() < 1 || concurrency.get() > 256)) {
            throw Problem.badField("concurrency", "concurrency must be between 1 and 256, was " + concurrency.get());
        }
        Optional<WaveMode> mode = Requests.text(body, "wave_mode").map(m -> WaveMode.fromId(m)
                .orElseThrow(() -> Problem.badField("wave_mode", "wave_mode must be dataflow or barrier, not '" + m + "'")));
        PlanSummary plan = store.plans().find(listId).orElseThrow(() -> Problem.notFound("no task list with id " + listId));
        RunOptions options = new RunOptions(concurrency.map(Long::intValue).or(plan::concurrency).orElse(4),
                mode.orElse(plan.waveMode()), startedBy);
        String runId = Requests.await(engine.start(plan.id(), options));
        return view(find(runId));
    }

    public RunSummary find(String id) {
        return store.runs().find(id).orElseThrow(() -> Problem.notFound("no run with id " + id));
    }

    /** The run with its waves. */
    public Views.RunView view(RunSummary r) {
        return Views.RunView.of(r, Optional.of(Views.WaveView.of(store.runs().tasks(r.id()))));
    }

    private static final Set<String> SESSION_STATUSES = Set.of("starting", "running", "exited", "killed", "interrupted",
            "failed_to_start");

    /** Sessions, newest first, by agent, run and status. */
    public List<Views.SessionView> sessions(Optional<Long> agentId, Optional<String> runId, Optional<String> status, int limit) {
        status.ifPresent(s -> {
            if (!SESSION_STATUSES.contains(s)) {
                throw Problem.badField("status", "status must be one of " + String.join(", ", new java.util.TreeSet<>(SESSION_STATUSES))
                        + "; not '" + s + "'");
            }
        });
        return store.runs().findSessions(agentId, runId, status, limit).stream().map(s -> Views.SessionView.of(s, Optional.empty())).toList();
    }

    public SessionRecord session(String id) {
        return store.runs().session(id).orElseThrow(() -> Problem.notFound("no session with id " + id));
    }

    public record OutputPage(String sessionId, long from, List<String> lines, long next, long total) {
    }

    /** A page of the session's clean text lines from line {@code from}, with where the next page starts. */
    public OutputPage output(String sessionId, long from, int limit) {
        SessionRecord s = session(sessionId);
        if (from < 0) {
            throw Problem.badField("from", "from must be 0 or more, was " + from);
        }
        List<String> lines = store.output().lines(s.id(), from, limit);
        return new OutputPage(s.id(), from, lines, from + lines.size(), store.output().lineCount(s.id()));
    }
}
