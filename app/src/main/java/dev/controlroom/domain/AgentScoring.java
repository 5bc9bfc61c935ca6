package dev.controlroom.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which agent gets a ready task. Only agents that may take it are candidates (active, a free
 * slot, a profile that fits: commands go to shell or custom agents, prompts to AI agents; a pinned
 * task only to the agent or profile it names). Among them the highest context score wins: named
 * agent +50, same working dir +20, same branch +10, active in the last 5 minutes +5, idle +3,
 * preferred profile +2; ties go to the better success rate, then the lower id.
 */
public final class AgentScoring {
    public static final Duration RECENT = Duration.ofMinutes(5);

    private AgentScoring() {
    }

    /** An agent as the scheduler sees it at this moment. */
    public record Candidate(Agent agent, int running, Optional<String> lastWorkingDir, Optional<String> lastBranch,
                            Optional<Instant> lastActive) {
        boolean hasFreeSlot() {
            return running < agent.maxConcurrent();
        }
    }

    /** What of a task matters for choosing its agent. */
    public record Need(boolean isCommand, Optional<String> agent, Optional<String> profile, boolean pinned,
                       Optional<String> workingDir, Optional<String> branch) {
        public static Need of(TaskSpec t, Optional<String> resolvedWorkingDir) {
            // A task with both a command and a prompt is an AI task unless it asks for the shell profile.
            boolean command = t.command().isPresent() && (t.prompt().isEmpty() || t.profile().equals(Optional.of("shell")));
            return new Need(command, t.agent(), t.profile(), t.pinned(), resolvedWorkingDir, t.context().branch());
        }
    }

    public static boolean mayTake(Need need, Agent agent) {
        if (!agent.active()) {
            return false;
        }
        if (need.pinned()) {
            if (need.agent().isPresent()) {
                return need.agent().get().equals(agent.name());
            }
            if (need.profile().isPresent()) {
                return need.profile().get().equals(agent.profile().id());
            }
        }
        AgentProfile p = agent.profile();
        boolean runsCommands = p == AgentProfile.SHELL || p == AgentProfile.CUSTOM;
        return need.isCommand() ? runsCommands : p.isAi() || p == AgentProfile.CUSTOM;
    }

    public static int score(Need need, Candidate c, Instant now) {
        int score = 0;
        if (need.agent().isPresent() && need.agent().get().equals(c.agent().name())) {
            score += 50;
        }
        if (need.workingDir().isPresent() && need.workingDir().equals(c.lastWorkingDir())) {
            score += 20;
        }
        if (need.branch().isPresent() && need.branch().equals(c.lastBranch())) {
            score += 10;
        }
        if (c.lastActive().isPresent() && Duration.between(c.lastActive().get(), now).compareTo(RECENT) <= 0) {
            score += 5;
        }
        if (c.running() == 0) {
            score += 3;
        }
        if (need.profile().isPresent() && need.profile().get().equals(c.agent().profile().id())) {
            score += 2;
        }
        return score;
    }

    /** The best candidate with a free slot that may take the task, if any. */
    public static Optional<Candidate> choose(Need need, List<Candidate> candidates, Instant now) {
        Comparator<Candidate> best = Comparator.<Candidate>comparingInt(c -> score(need, c, now))
                .thenComparingDouble(c -> c.agent().stats().successRate().orElse(0.5))
                .thenComparing(Comparator.<Candidate>comparingLong(c -> c.agent().id()).reversed());
        return candidates.stream().filter(Candidate::hasFreeSlot).filter(c -> mayTake(need, c.agent())).max(best);
    }
}
