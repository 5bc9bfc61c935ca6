package dev.controlroom.store;

import dev.controlroom.domain.Redactor;
import org.jooq.DSLContext;

import static dev.controlroom.store.schema.Tables.ITERATIONS;
import static dev.controlroom.store.schema.Tables.PLANS;
import static dev.controlroom.store.schema.Tables.SESSIONS;
import static dev.controlroom.store.schema.Tables.TASKS;

/**
 * A database written before secrets were kept out of it: once, when it is opened, every task's
 * environment values and the secrets in its command, prompt, setup and verify lines move to the
 * vault, and the plan texts, session command lines and iteration prompts are redacted. One
 * transaction; a marker in the settings says it is done.
 */
final class SecretsAtRest {
    static final String DONE = "secrets.sealed";

    private SecretsAtRest() {
    }

    static void sealOnce(Database db, SettingsStore settings, SecretVault vault) {
        if (settings.get(DONE).isPresent()) {
            return;
        }
        db.write(dsl -> vault.batch(() -> {
            seal(dsl, vault);
            return null;
        }));
        settings.put(DONE, "1");
    }

    private static void seal(DSLContext dsl, SecretVault vault) {
        dsl.selectFrom(TASKS).fetch().forEach(t -> {
            java.util.Map<String, String> env = Json.map(t.getEnvJson());
            String sealedEnv = Json.write(vault.sealValues(env));
            dsl.update(TASKS)
                    .set(TASKS.ENV_JSON, sealedEnv)
                    .set(TASKS.COMMAND, t.getCommand() == null ? null : vault.sealSecretsIn(t.getCommand()))
                    .set(TASKS.PROMPT, t.getPrompt() == null ? null : vault.sealSecretsIn(t.getPrompt()))
                    .set(TASKS.SETUP_JSON, Json.write(Json.list(t.getSetupJson()).stream().map(vault::sealSecretsIn).toList()))
                    .set(TASKS.VERIFY_JSON, Json.write(Json.list(t.getVerifyJson()).stream().map(vault::sealSecretsIn).toList()))
                    .where(TASKS.ID.eq(t.getId())).execute();
        });
        java.util.List<String> envValues = dsl.select(TASKS.ENV_JSON).from(TASKS).fetch(TASKS.ENV_JSON).stream()
                .flatMap(json -> Json.map(json).values().stream()).map(vault::unseal).toList();
        dsl.select(PLANS.ID, PLANS.SOURCE_TEXT).from(PLANS).where(PLANS.SOURCE_TEXT.isNotNull()).fetch().forEach(p ->
                dsl.update(PLANS).set(PLANS.SOURCE_TEXT, vault.sealSource(p.value2(), envValues)).where(PLANS.ID.eq(p.value1())).execute());
        dsl.select(SESSIONS.ID, SESSIONS.COMMAND_LINE).from(SESSIONS).fetch().forEach(s ->
                dsl.update(SESSIONS).set(SESSIONS.COMMAND_LINE, Redactor.redactText(s.value2())).where(SESSIONS.ID.eq(s.value1())).execute());
        dsl.select(ITERATIONS.ID, ITERATIONS.PROMPT).from(ITERATIONS).where(ITERATIONS.PROMPT.isNotNull()).fetch().forEach(i ->
                dsl.update(ITERATIONS).set(ITERATIONS.PROMPT, Redactor.redactText(i.value2())).where(ITERATIONS.ID.eq(i.value1())).execute());
    }
}
