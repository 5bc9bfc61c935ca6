package dev.controlroom.orchestrator;

import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.WaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What an agent prints goes through a real terminal into a real database file: no piece of a secret is in that file. */
class SecretsInOutputTest {
    @TempDir
    Path dir;

    private static final List<String> SECRET_BODIES = List.of("Xk9LmN3pRtYv5BfGq2WcA7hJ3XdYl0MnO4qSuZw6C",
            "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", "Tr0ub4dor3xyzQ", "MIIEpAIBAAKCAQEA1b2c3d4e5f6g7h8");

    @Test
    void secretsSplitAcrossWritesInsideJsonAndAfterColourCodesNeverReachTheDatabaseFile() throws Exception {
        // Printed as a JSON-streaming agent prints: a key after an escaped newline, its end in a second write.
        Files.writeString(dir.resolve("emit.sh"), """
                printf '%s' '{"type":"assistant","text":"see \\nsk-ant-api03-Xk9LmN3p'
                sleep 0.05
                printf '%s\\n' 'RtYv5BfGq2WcA7hJ3XdYl0MnO4qSuZw6C now"}'
                printf '\\033[32mghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\\033[0m\\n'
                printf 'export DB_PASS=Tr0ub4dor3xyzQ\\n'
                printf '%s\\n' '{"content":"-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA1b2c3d4e5f6g7h8\\n-----END RSA PRIVATE KEY-----"}'
                printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA1b2c3d4e5f6g7h8\\n-----END OPENSSH PRIVATE KEY-----\\n'
                """);
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: leaks
                    tasks:
                      - { id: emit, command: "sh emit.sh" }
                    """);
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);
            assertEquals(RunState.SUCCEEDED, end.state());
            h.flushExtracted();
            String replay = h.store.output().lines(h.store.runs().sessions(end.id()).getFirst().id(), 0, 100).toString();
            assertTrue(replay.contains("sk-ant-…[redacted]") || replay.contains("sk-ant-...[redacted]"), replay);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("engine.db")).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String body : SECRET_BODIES) {
                    for (int i = 0; i + 8 <= body.length(); i++) {
                        if (bytes.contains(body.substring(i, i + 8))) {
                            fail("'" + body.substring(i, i + 8) + "' is in " + file.getFileName());
                        }
                    }
                }
            }
        }
    }

    @Test
    void aTasksEnvironmentAndTheSecretsInItsCommandReachItsProcessButNotTheDatabase() throws Exception {
        String token = "hunter2-Very-Secret-Value-42";
        String key = "sk-ant-api03-Pq7Rs8Tu9Vw0Xy1Za2Bc3De4Fg5Hi6Jk";
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: secret-env
                    tasks:
                      - id: use
                        command: 'test "$API_TOKEN" = "%s" && test "$(printf %%s %s)" = "%s" && echo both arrived > arrived.txt'
                        verify: ['test "$(printf %%s %s | wc -c)" -eq %d']
                        context: { env: { API_TOKEN: "%s" } }
                    """.formatted(token, key, key, key, key.length(), token));
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);
            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(end.id()).toString());
            assertEquals("both arrived", Files.readString(dir.resolve("arrived.txt")).strip());
            assertTrue(h.store.plans().tasksOf(plan.id()).getFirst().spec().context().env().get("API_TOKEN").startsWith("${secret:"));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(h.store.secrets().file())));
        }
        assertNoPieceIn("engine.db", List.of(token, key.substring("sk-ant-".length())));
    }

    @Test
    void aTaskWhoseSecretIsMissingFromTheVaultFailsToStartSayingWhere() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: lost-secret
                    tasks:
                      - { id: use, command: 'echo "$API_TOKEN"', context: { env: { API_TOKEN: "${secret:00000000deadbeef}" } } }
                    """);
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);
            String reason = h.store.runs().tasks(end.id()).getFirst().reason().orElseThrow();
            assertTrue(reason.contains("could not start: the secret ${secret:00000000deadbeef} is not in " + h.store.secrets().file()), reason);
        }
    }

    private void assertNoPieceIn(String prefix, List<String> secrets) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix) && !f.toString().endsWith(".secrets")).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    for (int i = 0; i + 8 <= secret.length(); i++) {
                        if (bytes.contains(secret.substring(i, i + 8))) {
                            fail("'" + secret.substring(i, i + 8) + "' is in " + file.getFileName());
                        }
                    }
                }
            }
        }
    }
}
