package dev.controlroom.ui.agents;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentStatus;
import dev.controlroom.domain.CostEstimate;
import dev.controlroom.domain.Price;
import dev.controlroom.store.AgentStore.CurrentWork;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * An agent as its card shows it: the roster entry, what it works on now, what it used today.
 *
 * @param work       its open sessions, oldest first (an agent with several slots can have more than one)
 * @param costToday  an estimate from the price table, with the tokens of models it has no price for
 * @param missingCli the CLI its profile needs was looked for on PATH and not found, and the agent names no command of its own
 */
public record AgentView(Agent agent, List<CurrentWork> work, Price.Tokens tokensToday, CostEstimate costToday,
                        boolean missingCli) {

    public AgentView {
        work = List.copyOf(work);
    }

    public String name() {
        return agent.name();
    }

    public long id() {
        return agent.id();
    }

    /** Offline when fired or when its CLI is not installed, whatever the engine last wrote. */
    public AgentStatus status() {
        return !agent.active() || missingCli ? AgentStatus.OFFLINE : agent.status();
    }

    public String badge() {
        if (!agent.active()) {
            return "fired";
        }
        return missingCli ? "offline" : status().label();
    }

    public boolean busy() {
        return !work.isEmpty();
    }

    public Optional<CurrentWork> currentWork() {
        return work.stream().findFirst();
    }

    /** "report — Write the report (+1 more)". */
    public Optional<String> workText() {
        return currentWork().map(w -> w.taskKey() + " — " + w.taskTitle() + (work.size() > 1 ? " (+" + (work.size() - 1) + " more)" : ""));
    }

    /** How long the oldest open session has run at {@code now}, as m:ss or h:mm:ss. */
    public Optional<String> elapsed(Instant now) {
        return currentWork().map(w -> clock(Duration.between(w.since(), now)));
    }

    public String kind() {
        return String.join(" · ", agent.profile().id(), agent.model().orElse("default model"), agent.team().orElse("no team"));
    }

    /** "80% success (4 of 5) · 12,345 tokens today · ≈ $0.12; not priced: 345 tokens of model gpt-9 · 1 slot". */
    public String record() {
        var stats = agent.stats();
        OptionalDouble rate = stats.successRate();
        String success = rate.isPresent()
                ? String.format(Locale.ROOT, "%.0f%% success (%d of %d)", rate.getAsDouble() * 100, stats.succeeded(), stats.finished())
                : "no finished tasks yet";
        // Tokens only when there are some today: most agents (shell, idle) have none and the card stays short.
        String tokens = tokensToday.total() == 0 ? "" : String.format(Locale.ROOT, " · %,d tokens today", tokensToday.total());
        String cost = costToday.describe(2).isEmpty() ? "" : " · " + costToday.describe(2);
        return success + tokens + cost + " · " + agent.maxConcurrent() + (agent.maxConcurrent() == 1 ? " slot" : " slots");
    }

    static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
