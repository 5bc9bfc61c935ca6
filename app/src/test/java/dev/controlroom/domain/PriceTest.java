package dev.controlroom.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PriceTest {
    private final List<Price> table = List.of(new Price("claude-sonnet-4", 3, 15, 0.3, 3.75, "USD"),
            new Price("claude-sonnet-4-5", 3.3, 16.5, 0.33, 4.125, "USD"), new Price("gpt-5", 1.25, 10, 0.125, 0, "USD"));

    @Test
    void theLongestMatchingPrefixPricesAModel() {
        assertEquals("claude-sonnet-4-5", Price.forModel(table, "claude-sonnet-4-5-20250929").orElseThrow().model());
        assertEquals("claude-sonnet-4", Price.forModel(table, "Claude-Sonnet-4-20250514").orElseThrow().model());
        assertEquals(Optional.empty(), Price.forModel(table, "llama3.2"));
    }

    @Test
    void aContextWindowSuffixOnEitherSideDoesNotStopTheMatch() {
        List<Price> withSuffix = List.of(new Price("claude-opus-4-8[1m]", 15, 75, 1.5, 18.75, "USD"));

        assertEquals("claude-opus-4-8[1m]", Price.forModel(withSuffix, "claude-opus-4-8").orElseThrow().model());
        assertEquals("claude-opus-4-8[1m]", Price.forModel(withSuffix, "Claude-Opus-4-8 [1m]").orElseThrow().model());
        assertEquals(Optional.empty(), Price.forModel(withSuffix, ""));
    }

    @Test
    void aModelHasOneNameWhateverItsCaseOrContextMode() {
        assertEquals(Optional.of("claude-opus-4-8"), ModelNames.canonical(" claude-opus-4-8[1m]"));
        assertEquals(Optional.of("claude-opus-4-8"), ModelNames.canonical("Claude-Opus-4-8"));
        assertEquals(Optional.of("claude-sonnet-4-5-20250929"), ModelNames.canonical("claude-sonnet-4-5-20250929"),
                "a dated snapshot is a model of its own");
        assertEquals(Optional.empty(), ModelNames.canonical("[1m]"));
    }

    @Test
    void costAddsEachKindOfTokenAtItsPrice() {
        Price p = table.getFirst();
        assertEquals(3.0 + 15.0 + 0.3 + 3.75, p.cost(new Price.Tokens(1_000_000, 1_000_000, 1_000_000, 1_000_000)), 1e-9);
        assertEquals(0.0105, p.cost(new Price.Tokens(1000, 500, 0, 0)), 1e-12);
    }
}
