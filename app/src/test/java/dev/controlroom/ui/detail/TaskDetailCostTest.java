package dev.controlroom.ui.detail;

import dev.controlroom.domain.Price;
import dev.controlroom.store.Store;
import dev.controlroom.store.StoreTestSupport;
import dev.controlroom.store.TokenRuns;
import dev.controlroom.ui.common.PaneLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cost of a task's attempts as its detail shows them, read from a real database. */
class TaskDetailCostTest {
    @TempDir
    Path dir;

    @Test
    void anAttemptOnAModelWithoutAPriceShowsThePricedPartAndWhatIsNotPriced() {
        try (Store store = StoreTestSupport.open(dir)) {
            store.prices().put(new Price("claude-opus-4", 15, 75, 1.5, 18.75, "USD"));
            TokenRuns.store(store, "r-1", List.of(TokenRuns.Used.of("write", "claude-opus-4-8", 100_000, 2_000),
                    TokenRuns.Used.of("write", "gpt-9", 12_000, 345)));
            long taskId = store.runs().tasks("r-1").getFirst().taskId();

            TaskDetailViewModel.Detail detail = new TaskDetailViewModel().load(store, new PaneLoader.Context(
                    Optional.of(store.plans().list().getFirst()), store.runs().find("r-1"), Optional.of(taskId))).orElseThrow();

            assertEquals("114,345 tokens · cost ≈ $1.6500; not priced: 12,345 tokens of model gpt-9",
                    detail.attempts().getFirst().tokensText());
        }
    }
}
