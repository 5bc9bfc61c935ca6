package dev.controlroom.domain;

import java.util.Arrays;

/** What an agent is doing now, as shown on its badge. */
public enum AgentStatus {
    IDLE("idle"),
    BUSY("busy"),
    WAITING("waiting"),
    STUCK("stuck"),
    RATE_LIMITED("rate_limited"),
    OFFLINE("offline");

    private final String id;

    AgentStatus(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public String label() {
        return id.replace('_', '-');
    }

    public static AgentStatus fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown agent status: " + id));
    }
}
