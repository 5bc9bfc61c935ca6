package dev.controlroom.ui.agents;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.domain.Price;
import dev.controlroom.store.Store;
import dev.controlroom.store.StoreTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an agent's card says its tokens of today cost. */
class AgentCostTest {
    @TempDir
    Path dir;

    @Test
    void theCardKeepsTheEstimateOfPricedModelsAndNamesTheTokensOfTheOthers() {
        try (Store store = StoreTestSupport.open(dir)) {
            Agent agent = store.agents().hire(NewAgent.of("claude-1", null, AgentProfile.CLAUDE));
            List<Price> prices = List.of(new Price("claude-opus-4", 15, 75, 1.5, 18.75, "USD"));

            AgentView view = AgentsViewModel.view(agent, List.of(), Map.of("claude-opus-4-8", new Price.Tokens(100_000, 2_000, 0, 0),
                    "gpt-9", new Price.Tokens(12_000, 345, 0, 0)), prices, false);

            assertTrue(view.record().contains("114,345 tokens today · ≈ $1.65; not priced: 12,345 tokens of model gpt-9 · 1 slot"),
                    view.record());
        }
    }
}
