package dev.controlroom.store;

import dev.controlroom.domain.PlanSummary;
import dev.controlroom.plan.PlanReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static dev.controlroom.store.schema.Tables.PLANS;
import static dev.controlroom.store.schema.Tables.SETTINGS;
import static dev.controlroom.store.schema.Tables.TASKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsAtRestTest {
    @TempDir
    Path dir;

    private static final String TOKEN = "tok-Plain-Text-From-An-Earlier-Version";
    private static final String KEY = "sk-ant-api03-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0";

    @Test
    void aDatabaseWrittenBeforeSecretsWereKeptOutOfItIsSealedWhenOpened() throws Exception {
        Path file = dir.resolve("old.db");
        String yaml = """
                name: old
                tasks:
                  - { id: a, command: "curl -H 'Authorization: Bearer %s' https://x", context: { env: { TOKEN: "%s" } } }
                """.formatted(KEY, TOKEN);
        long planId;
        try (Store store = Store.open(file, StoreTestSupport.FIXED)) {
            PlanSummary plan = store.plans().importPlan(new PlanReader(Set.of()).parse(yaml, PlanReader.Format.YAML, "old.yaml").orThrow(),
                    PlanStore.Source.of("/x/old.yaml", "yaml", yaml));
            planId = plan.id();
            // As an earlier version left it: values in the clear, and no marker.
            store.database().write(dsl -> {
                dsl.update(TASKS).set(TASKS.ENV_JSON, "{\"TOKEN\":\"" + TOKEN + "\"}")
                        .set(TASKS.COMMAND, "curl -H 'Authorization: Bearer " + KEY + "' https://x").execute();
                dsl.update(PLANS).set(PLANS.SOURCE_TEXT, yaml).execute();
                return dsl.deleteFrom(SETTINGS).where(SETTINGS.KEY.eq(SecretsAtRest.DONE)).execute();
            });
            Files.delete(store.secrets().file());
        }
        assertTrue(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(TOKEN), "the old database holds it");

        try (Store store = Store.open(file, StoreTestSupport.FIXED)) {
            var task = store.plans().tasksOf(planId).getFirst().spec();
            assertEquals(TOKEN, store.secrets().unseal(task.context().env().get("TOKEN")));
            assertFalse(task.command().orElseThrow().contains(KEY.substring(8)), task.command().orElseThrow());
            assertEquals("curl -H 'Authorization: Bearer " + KEY + "' https://x", store.secrets().unseal(task.command().orElseThrow()));
        }
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(bytes.contains(TOKEN), "the token left the database");
        assertFalse(bytes.contains(KEY.substring(8)), "the key left the database");
    }
}
