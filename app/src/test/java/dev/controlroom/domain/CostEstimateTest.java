package dev.controlroom.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CostEstimateTest {
    private final List<Price> prices = List.of(new Price("claude-opus-4", 15, 75, 1.5, 18.75, "USD"));

    @Test
    void aModelWithoutAPriceIsNamedBesideTheEstimateOfTheOthers() {
        CostEstimate cost = CostEstimate.of(prices, Map.of("claude-opus-4-8", new Price.Tokens(10_000, 2_000, 0, 0),
                "gpt-9", new Price.Tokens(12_000, 345, 0, 0)), Optional.empty());

        assertEquals(0.3, cost.usd(), 1e-9);
        assertFalse(cost.complete());
        assertEquals(12_345, cost.unpricedTokens());
        assertEquals("≈ $0.30; not priced: 12,345 tokens of model gpt-9", cost.describe(2));
    }

    @Test
    void estimatesOfSeveralTasksAddUpAndTheUnpricedTokensOfOneModelTogether() {
        CostEstimate a = CostEstimate.of(prices, Map.of("gpt-9", new Price.Tokens(100, 0, 0, 0)), Optional.empty());
        CostEstimate b = CostEstimate.of(prices, Map.of("gpt-9", new Price.Tokens(0, 50, 0, 0), "", new Price.Tokens(7, 0, 0, 0),
                "claude-opus-4-8[1m]", new Price.Tokens(1_000_000, 0, 0, 0)), Optional.empty());

        CostEstimate both = a.plus(b);

        assertEquals("≈ $15.00; not priced: 150 tokens of model gpt-9, 7 tokens of an unnamed model", both.describe(2));
    }

    @Test
    void tokensOfNoNamedModelArePricedAsTheAgentsModelWhenItHasOne() {
        CostEstimate cost = CostEstimate.of(prices, Map.of("", new Price.Tokens(1_000_000, 0, 0, 0)), Optional.of("claude-opus-4-1"));

        assertTrue(cost.complete());
        assertEquals("≈ $15.00", cost.describe(2));
    }

    @Test
    void nothingPricedShowsNoAmountOnlyWhatIsMissingAndNoTokensShowNothing() {
        assertEquals("not priced: 9 tokens of model llama3.2",
                CostEstimate.of(prices, Map.of("llama3.2", new Price.Tokens(9, 0, 0, 0)), Optional.empty()).describe(2));
        assertEquals("", CostEstimate.of(prices, Map.of(), Optional.empty()).describe(2));
    }
}
