package dev.controlroom.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentStats;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.RunTask;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskState;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the API answers, resource by resource: the domain's records in seed 003's names (written snake_case). */
public final class Views {
    private Views() {
    }

    public record AgentView(long id, String name, Optional<String> team, String profile, Optional<String> model, int maxConcurrent,
                     boolean active, String status, AgentStats stats, Optional<Instant> lastActiveAt, Optional<CurrentWork> currentWork) {
        static AgentView of(Agent a, Optional<dev.controlroom.store.AgentStore.CurrentWork> work) {
            return new AgentView(a.id(), a.name(), a.team(), a.profile().id(), a.model(), a.maxConcurrent(), a.active(), a.status().id(),
                    a.stats(), a.lastActiveAt(), work.map(w -> new CurrentWork(w.runId(), w.sessionId(), w.taskKey(), w.taskTitle(), w.since())));
        }
    }

    public record CurrentWork(String runId, String sessionId, String taskKey, String taskTitle, Instant since) {
    }

    /**
     * A task of a task list with its state in the list's newest run ({@code status} "not_run" when the
     * list has not run yet); {@code lane} is the task's category; {@code parent_task_id} the task a
     * sub-task was created under.
     */
    public record TaskView(long id, long taskListId, String key, String title, Optional<String> description, Optional<String> command,
                    int priority, Optional<String> lane, List<String> dependsOn, Optional<String> agent, Optional<String> profile,
                    boolean critical, List<String> verify, int maxAttempts, int wave, Optional<String> runId, String status,
                    int attempts, Optional<Long> assignedAgentId, Optional<String> reason, Optional<Long> parentTaskId) {
        static final String NOT_RUN = "not_run";

        /** @param parent the task this one was created under, for a sub-task */
        static TaskView of(StoredTask t, int wave, Optional<RunTask> run, Optional<Long> parent) {
            var s = t.spec();
            return new TaskView(t.id(), t.planId(), t.key(), s.title(), s.prompt(), s.command(), s.priority(), s.category(), s.dependsOn(),
                    s.agent(), s.profile(), s.critical(), s.verify(), s.maxAttempts(), run.map(RunTask::wave).orElse(wave),
                    run.map(RunTask::runId), run.map(r -> r.state().id()).orElse(NOT_RUN), run.map(RunTask::attempts).orElse(0),
                    run.flatMap(RunTask::agentId), run.flatMap(RunTask::reason), parent);
        }
    }

    public record TaskListView(long id, String name, Optional<String> sourcePath, String waveMode, Optional<Integer> concurrency,
                        Instant importedAt, int taskCount) {
        static TaskListView of(PlanSummary p) {
            return new TaskListView(p.id(), p.name(), p.sourcePath(), p.waveMode().id(), p.concurrency(), p.importedAt(), p.taskCount());
        }
    }

    public record RunView(String id, long taskListId, String taskListName, String status, String waveMode, int concurrency, String startedBy,
                   Optional<String> pauseReason, Instant createdAt, Optional<Instant> finishedAt, int total, Map<String, Integer> counts,
                   Optional<List<WaveView>> waves) {
        static RunView of(RunSummary r, Optional<List<WaveView>> waves) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            r.counts().forEach((state, n) -> counts.put(state.id(), n));
            return new RunView(r.id(), r.planId(), r.planName(), r.state().id(), r.waveMode().id(), r.concurrency(), r.startedBy(),
                    r.pauseReason(), r.createdAt(), r.finishedAt(), r.total(), counts, waves);
        }
    }

    /** A dependency level of a run: its tasks by state, and where it stands as a whole. */
    public record WaveView(int number, int tasks, Map<String, Integer> counts, String status) {
        static List<WaveView> of(List<RunTask> tasks) {
            Map<Integer, List<RunTask>> byWave = new java.util.TreeMap<>();
            tasks.forEach(t -> byWave.computeIfAbsent(t.wave(), w -> new java.util.ArrayList<>()).add(t));
            return byWave.entrySet().stream().map(e -> {
                Map<String, Integer> counts = new LinkedHashMap<>();
                e.getValue().forEach(t -> counts.merge(t.state().id(), 1, Integer::sum));
                return new WaveView(e.getKey(), e.getValue().size(), counts, status(e.getValue()));
            }).toList();
        }

        private static String status(List<RunTask> tasks) {
            if (tasks.stream().allMatch(t -> t.state() == TaskState.SUCCEEDED || t.state() == TaskState.SKIPPED)) {
                return "completed";
            }
            if (tasks.stream().allMatch(t -> t.state().isTerminal())) {
                return "failed";
            }
            return tasks.stream().anyMatch(t -> t.state() != TaskState.PENDING && t.state() != TaskState.READY) ? "running" : "pending";
        }
    }

    public record SessionView(String id, String runId, long taskId, Optional<Long> agentId, int attempt, String status, Optional<Long> pid,
                       String workingDir, Optional<String> branch, Optional<Integer> exitCode, Optional<String> endReason,
                       Instant startedAt, Optional<Instant> endedAt, Optional<String> nativeSessionId, Optional<String> cliVersion,
                       Optional<List<IterationView>> iterations) {
        static SessionView of(SessionRecord s, Optional<List<IterationView>> iterations) {
            return new SessionView(s.id(), s.runId(), s.taskId(), s.agentId(), s.attempt(), s.status(), s.pid(), s.workingDir(), s.branch(),
                    s.exitCode(), s.endReason(), s.startedAt(), s.endedAt(), s.nativeSessionId(), s.cliVersion(), iterations);
        }
    }

    /** One iteration; its id is {@code <session id>:<number>}. */
    public record IterationView(String id, String sessionId, int number, String status, Optional<String> prompt, Optional<String> failureSummary,
                         List<IterationRecord.Check> checks) {
        static IterationView of(IterationRecord i) {
            return new IterationView(i.sessionId() + ":" + i.number(), i.sessionId(), i.number(), i.status(), i.prompt(), i.failureSummary(),
                    i.checks());
        }
    }

    public record EventView(long id, Instant at, String type, String severity, Optional<String> runId, Optional<Long> taskId,
                     Optional<Long> agentId, Optional<String> sessionId, String message, @JsonRawValue String payload) {
        static EventView of(Event e) {
            return new EventView(e.id(), e.at(), e.type().id(), e.severity().id(), e.runId(), e.taskId(), e.agentId(), e.sessionId(),
                    e.message(), e.payload());
        }
    }
}
