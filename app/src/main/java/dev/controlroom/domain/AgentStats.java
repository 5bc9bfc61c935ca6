package dev.controlroom.domain;

/** What an agent has done so far; kept across firing and rehiring. */
public record AgentStats(int succeeded, int failed, int reward, long tokens, long totalDurationMs) {

    public static final AgentStats NONE = new AgentStats(0, 0, 0, 0, 0);

    public int finished() {
        return succeeded + failed;
    }

    /** Share of finished tasks that succeeded, 0..1; an agent with no finished task has no rate yet. */
    public java.util.OptionalDouble successRate() {
        return finished() == 0 ? java.util.OptionalDouble.empty()
                : java.util.OptionalDouble.of((double) succeeded / finished());
    }
}
