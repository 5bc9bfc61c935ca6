package dev.controlroom.app;

import dev.controlroom.agent.CliDetector;
import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.store.Store;
import dev.controlroom.store.StoreTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FirstStartTest {
    @TempDir
    Path dir;

    private Path binWith(String... names) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String name : names) {
            Path exe = bin.resolve(name);
            Files.writeString(exe, "#!/bin/sh\necho " + name + " 1.0\n");
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    @Test
    void firstStartHiresAShellAgentOnePerCliOnPathAndImportsTheSamplePlan() throws Exception {
        Path bin = binWith("claude", "codex", "not-an-agent");
        Files.writeString(bin.resolve("gemini"), "not executable");
        try (Store store = StoreTestSupport.open(dir)) {
            boolean seeded = new FirstStart(store, new CliDetector(bin.toString(), false)).seedIfNew(dir.resolve("samples"));

            assertTrue(seeded);
            List<Agent> roster = store.agents().listAll();
            assertEquals(List.of("shell-1", "claude-1", "codex-1"), roster.stream().map(Agent::name).toList());
            assertEquals(List.of(AgentProfile.SHELL, AgentProfile.CLAUDE, AgentProfile.CODEX), roster.stream().map(Agent::profile).toList());
            var plans = store.plans().list();
            assertEquals(1, plans.size());
            assertEquals("sample-tour", plans.getFirst().name());
            assertEquals(5, plans.getFirst().taskCount());
            assertTrue(Files.exists(dir.resolve("samples/sample-plan.yaml")));
            assertTrue(store.plans().tasksOf(plans.getFirst().id()).stream()
                    .allMatch(t -> t.spec().command().isPresent() && t.spec().prompt().isEmpty()),
                    "the sample plan must run without any AI CLI");
            assertEquals("roster_seeded", store.events().latest(1).getFirst().type().id());
        }
    }

    @Test
    void secondStartReusesTheDatabaseWithoutSeedingAgain() throws Exception {
        Path bin = binWith("claude");
        try (Store store = StoreTestSupport.open(dir)) {
            new FirstStart(store, new CliDetector(bin.toString(), false)).seedIfNew(dir.resolve("samples"));
        }
        try (Store store = StoreTestSupport.open(dir)) {
            boolean seeded = new FirstStart(store, new CliDetector(binWith("claude", "aider").toString(), false))
                    .seedIfNew(dir.resolve("samples"));

            assertFalse(seeded);
            assertEquals(2, store.agents().listAll().size());
            assertEquals(1, store.plans().list().size());
        }
    }

    @Test
    void firstStartCutShortIsCompletedWithoutDuplicates() throws Exception {
        Path bin = binWith("codex");
        try (Store store = StoreTestSupport.open(dir)) {
            FirstStart first = new FirstStart(store, new CliDetector(bin.toString(), false));
            first.seedIfNew(dir.resolve("samples"));
            // As if the process died before the seeded marker was written.
            store.database().write(dsl -> dsl.deleteFrom(dev.controlroom.store.schema.Tables.SETTINGS).execute());

            assertTrue(first.seedIfNew(dir.resolve("samples")));
            assertEquals(2, store.agents().listAll().size());
            assertEquals(1, store.plans().list().size());
        }
    }
}
