package dev.controlroom.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.controlroom.domain.Agent;
import dev.controlroom.domain.CostEstimate;
import dev.controlroom.domain.Price;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.RunTask;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskState;
import dev.controlroom.store.Store;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a run did, as a table for people or JSON for scripts. */
final class RunReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunSummary run;
    private final List<RunTask> tasks;
    private final Map<Long, StoredTask> defs = new HashMap<>();
    private final Map<Long, String> agentNames = new HashMap<>();
    private final Map<Long, Map<String, Price.Tokens>> tokens;
    private final List<Price> prices;

    RunReport(Store store, RunSummary run) {
        this.run = run;
        this.tasks = store.runs().tasks(run.id());
        store.plans().tasksOf(run.planId()).forEach(t -> defs.put(t.id(), t));
        store.agents().listAll().forEach((Agent a) -> agentNames.put(a.id(), a.name()));
        this.tokens = store.runs().tokens(run.id());
        this.prices = store.prices().list();
    }

    private Price.Tokens tokensOf(long taskId) {
        return tokens.getOrDefault(taskId, Map.of()).values().stream().reduce(Price.Tokens.NONE, Price.Tokens::plus);
    }

    /** The estimated cost of the run's tokens: the priced models' money, and the tokens of those without a price. */
    private CostEstimate estimate() {
        return tokens.values().stream().map(byModel -> CostEstimate.of(prices, byModel, java.util.Optional.empty()))
                .reduce(CostEstimate.NONE, CostEstimate::plus);
    }

    /** Exit code of a finished run for the command line: 0 when every task succeeded (or was skipped). */
    int exitCode() {
        return run.state() == dev.controlroom.domain.RunState.SUCCEEDED ? 0 : 1;
    }

    void printTable(PrintWriter out) {
        Table table = new Table("TASK", "WAVE", "STATE", "ATTEMPTS", "AGENT", "TIME", "TOKENS", "NOTE");
        for (RunTask t : tasks) {
            StoredTask def = defs.get(t.taskId());
            table.row(def.key(), t.wave(), t.state().id(), t.attempts() + "/" + def.spec().maxAttempts(),
                    t.agentId().map(agentNames::get).orElse("-"), duration(t),
                    tokensOf(t.taskId()).total() == 0 ? "-" : String.format(Locale.ROOT, "%,d", tokensOf(t.taskId()).total()),
                    t.reason().orElse(""));
        }
        table.print(out);
        out.println();
        out.println("run " + run.id() + " " + run.state().id() + ": " + counts());
        Price.Tokens all = tokens.keySet().stream().map(this::tokensOf).reduce(Price.Tokens.NONE, Price.Tokens::plus);
        if (all.total() > 0) {
            out.println(String.format(Locale.ROOT, "tokens: %,d input, %,d output, %,d cache read, %,d cache write", all.input(),
                    all.output(), all.cacheRead(), all.cacheWrite()));
            out.println("cost " + estimate().describe(4) + (estimate().anyPriced() ? " (an estimate from the price table)" : ""));
        }
        out.flush();
    }

    String counts() {
        StringBuilder sb = new StringBuilder();
        for (TaskState s : TaskState.values()) {
            int n = (int) tasks.stream().filter(t -> t.state() == s).count();
            if (n > 0) {
                if (!sb.isEmpty()) {
                    sb.append(", ");
                }
                sb.append(n).append(' ').append(s.id());
            }
        }
        return sb + " (of " + tasks.size() + ")";
    }

    private static String duration(RunTask t) {
        if (t.startedAt().isEmpty() || t.finishedAt().isEmpty()) {
            return "-";
        }
        long ms = Duration.between(t.startedAt().get(), t.finishedAt().get()).toMillis();
        return ms < 1000 ? ms + "ms" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("run_id", run.id());
        root.put("plan", run.planName());
        root.put("state", run.state().id());
        root.put("wave_mode", run.waveMode().id());
        root.put("concurrency", run.concurrency());
        ArrayNode list = root.putArray("tasks");
        for (RunTask t : tasks) {
            StoredTask def = defs.get(t.taskId());
            ObjectNode o = list.addObject();
            o.put("id", def.key());
            o.put("title", def.spec().title());
            o.put("wave", t.wave());
            o.put("state", t.state().id());
            o.put("attempts", t.attempts());
            o.put("max_attempts", def.spec().maxAttempts());
            t.agentId().map(agentNames::get).ifPresent(a -> o.put("agent", a));
            t.startedAt().ifPresent(s -> o.put("started_at", s.toString()));
            t.finishedAt().ifPresent(f -> o.put("finished_at", f.toString()));
            t.reason().ifPresent(r -> o.put("reason", r));
            Price.Tokens used = tokensOf(t.taskId());
            ObjectNode tk = o.putObject("tokens");
            tk.put("input", used.input());
            tk.put("output", used.output());
            tk.put("cache_read", used.cacheRead());
            tk.put("cache_write", used.cacheWrite());
        }
        CostEstimate cost = estimate();
        if (cost.anyPriced()) {
            root.put("cost_estimate_usd", cost.usd());
        }
        root.put("cost_estimate_complete", cost.complete());
        ArrayNode notPriced = root.putArray("not_priced");
        cost.unpricedByModel().forEach(e -> {
            ObjectNode o = notPriced.addObject();
            if (e.getKey().isEmpty()) {
                o.putNull("model");
            } else {
                o.put("model", e.getKey());
            }
            o.put("tokens", e.getValue());
        });
        return root;
    }

    void printJson(PrintWriter out) {
        out.println(json().toPrettyString());
        out.flush();
    }
}
