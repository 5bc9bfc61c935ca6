package dev.controlroom.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a model's tokens cost, per million, in the table a person can edit. Money is always an
 * estimate derived from tokens: wrong for proxies and meaningless on flat-rate plans.
 *
 * @param model a model name or the prefix of a family of names ({@code claude-sonnet-4} covers
 *              {@code claude-sonnet-4-5-20250929})
 */
public record Price(String model, double inputPerMillion, double outputPerMillion, double cacheReadPerMillion,
                    double cacheWritePerMillion, String currency) {

    /** Tokens of one kind or another, as stored per session, task, agent and run. */
    public record Tokens(long input, long output, long cacheRead, long cacheWrite) {
        public static final Tokens NONE = new Tokens(0, 0, 0, 0);

        public long total() {
            return input + output + cacheRead + cacheWrite;
        }

        public Tokens plus(Tokens o) {
            return new Tokens(input + o.input, output + o.output, cacheRead + o.cacheRead, cacheWrite + o.cacheWrite);
        }
    }

    public double cost(Tokens t) {
        return (t.input() * inputPerMillion + t.output() * outputPerMillion + t.cacheRead() * cacheReadPerMillion
                + t.cacheWrite() * cacheWritePerMillion) / 1_000_000.0;
    }

    /**
     * The price whose model is the longest prefix of {@code model}, both read as their {@link ModelNames#canonical}
     * names (so case and a context-window suffix such as {@code [1m]} do not matter), if any.
     */
    public static Optional<Price> forModel(List<Price> table, String model) {
        Optional<String> m = ModelNames.canonical(model);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        return table.stream().filter(p -> ModelNames.canonical(p.model()).filter(m.get()::startsWith).isPresent())
                .max(Comparator.comparingInt(p -> ModelNames.canonical(p.model()).orElse("").length()));
    }
}
