package dev.controlroom.store;

import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.domain.Price;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.TaskState;
import dev.controlroom.domain.WaveMode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.controlroom.store.schema.Tables.TOKEN_USAGE;

/** A stored run whose sessions used tokens on given models, the way the engine stores them, for tests of what tokens add up to. */
public final class TokenRuns {
    /** Tokens a task's session used on a model ({@code model} empty: the agent named none). */
    public record Used(String taskKey, Optional<String> model, Price.Tokens tokens) {
        public static Used of(String taskKey, String model, long input, long output) {
            return new Used(taskKey, Optional.of(model), new Price.Tokens(input, output, 0, 0));
        }
    }

    private TokenRuns() {
    }

    /** A plan with one task per key used, an agent, the run {@code runId}, a session per task and the tokens; returns the session id per task. */
    public static Map<String, String> store(Store store, String runId, List<Used> used) {
        var plan = store.plans().createPlan("plan of " + runId);
        long agentId = store.agents().hire(NewAgent.of("agent-of-" + runId, null, AgentProfile.CLAUDE)).id();
        Map<String, StoredTask> tasks = new LinkedHashMap<>();
        used.forEach(u -> tasks.computeIfAbsent(u.taskKey(), key -> store.plans().addTask(plan.id(), TaskSpec.shell(key, "true"))));
        Map<Long, Integer> waves = new LinkedHashMap<>();
        Map<Long, TaskState> states = new LinkedHashMap<>();
        tasks.values().forEach(t -> {
            waves.put(t.id(), 0);
            states.put(t.id(), TaskState.READY);
        });
        Map<String, String> sessions = new LinkedHashMap<>();
        store.runs().commit(tx -> {
            tx.createRun(runId, plan.id(), new RunOptions(2, WaveMode.DATAFLOW, "cli"), 1, waves, states);
            tasks.forEach((key, task) -> {
                String session = runId + "-" + key + "-1";
                sessions.put(key, session);
                tx.startSession(session, runId, task.id(), agentId, 1, "/tmp", Optional.empty(), "claude -p", TaskState.READY);
            });
            for (Used u : used) {
                tx.tokens(sessions.get(u.taskKey()), 1, runId, tasks.get(u.taskKey()).id(), agentId, u.model(), u.tokens().input(),
                        u.tokens().output(), u.tokens().cacheRead(), u.tokens().cacheWrite());
            }
        });
        return sessions;
    }

    /** A row as an older version stored it, with the model name exactly as the CLI printed it. */
    public static void storeAsPrinted(Store store, String runId, String sessionId, long taskId, String model, long input) {
        store.database().write(dsl -> dsl.insertInto(TOKEN_USAGE).set(TOKEN_USAGE.SESSION_ID, sessionId).set(TOKEN_USAGE.RUN_ID, runId)
                .set(TOKEN_USAGE.TASK_ID, taskId).set(TOKEN_USAGE.AGENT_ID, store.runs().session(sessionId).orElseThrow().agentId().orElseThrow())
                .set(TOKEN_USAGE.MODEL, model).set(TOKEN_USAGE.INPUT_TOKENS, input)
                .set(TOKEN_USAGE.AT, 0L).execute());
    }
}
