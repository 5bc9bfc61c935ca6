package dev.controlroom.testsupport;

import java.util.List;
import java.util.Optional;

/** The turns a mock model plays, in order: turn N answers a request whose history holds N earlier answers. */
public record Script(List<Turn> turns) {
    public Script {
        turns = List.copyOf(turns);
    }

    public static Script of(Turn... turns) {
        return new Script(List.of(turns));
    }

    public Optional<Turn> turn(int index) {
        return index < turns.size() ? Optional.of(turns.get(index)) : Optional.empty();
    }
}
