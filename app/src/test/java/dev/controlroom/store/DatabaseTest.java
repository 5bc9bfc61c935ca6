package dev.controlroom.store;

import dev.controlroom.domain.EventType;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.domain.Severity;
import dev.controlroom.plan.PlanReader;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void newDatabaseIsCreatedWithItsFolderInWalModeWithForeignKeysOn() {
        Path file = dir.resolve("deep/er/cr.db");
        try (Store store = Store.open(file, StoreTestSupport.FIXED)) {
            assertTrue(Files.exists(file));
            assertEquals("wal", store.database().read(dsl -> dsl.fetchValue("PRAGMA journal_mode")).toString());
            assertEquals("1", store.database().read(dsl -> dsl.fetchValue("PRAGMA foreign_keys")).toString());
        }
    }

    @Test
    void aNewDatabaseItsWalAndTheFoldersMadeForItAreReadableByTheirOwnerOnly() throws Exception {
        Path file = dir.resolve("made/for/it/cr.db");
        try (Store store = Store.open(file, StoreTestSupport.FIXED)) {
            store.events().append(Event.draft(EventType.MESSAGE, Severity.INFO, "written to the WAL"));
            assertEquals("rw-------", mode(file));
            assertEquals("rw-------", mode(Path.of(file + "-wal")));
            assertEquals("rwx------", mode(dir.resolve("made")));
            assertEquals("rwx------", mode(dir.resolve("made/for/it")));
        }
        assertEquals("rwx------", mode(dir.resolve("made")), "the folder a person chose (the temp folder) is not changed, only those made");
    }

    @Test
    void aDatabaseWrittenByAnEarlierVersionIsMadePrivateWhenOpened() throws Exception {
        Path file = dir.resolve("old-perms.db");
        try (Store store = Store.open(file, StoreTestSupport.FIXED)) {
            store.events().append(Event.draft(EventType.MESSAGE, Severity.INFO, "x"));
        }
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        String chosenFolder = mode(dir);

        try (Store store = Store.open(file, StoreTestSupport.FIXED)) {
            assertEquals("rw-------", mode(file));
        }
        assertEquals(chosenFolder, mode(dir), "a folder that existed is left as it was");
    }

    private static String mode(Path p) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void databaseCreatedAtVersionOneKeepsItsRowsThroughALaterMigration() {
        Path file = dir.resolve("old.db");
        Flyway.configure().dataSource(Database.dataSource(file)).locations("classpath:db/migration").target("1").load().migrate();
        long planId;
        try (Store store = new Store(Database.connect(file), StoreTestSupport.FIXED)) {
            store.agents().hire(NewAgent.of("shell-1", "Engineering", AgentProfile.SHELL));
            store.agents().hire(NewAgent.of("claude-1", "Engineering", AgentProfile.CLAUDE));
            planId = store.plans().importPlan(new PlanReader(Set.of("shell-1")).parse("""
                    name: keep
                    tasks:
                      - { id: a, command: echo a, agent: shell-1 }
                      - { id: b, command: echo b, depends_on: [a] }
                    """, PlanReader.Format.YAML, "keep.yaml").orThrow(), PlanStore.Source.of(null, "yaml", null)).id();
            store.events().append(Event.draft(EventType.ROSTER_SEEDED, Severity.INFO, "seeded"));
            store.settings().put("ui.theme", "light");
        }

        Flyway.configure().dataSource(Database.dataSource(file))
                .locations("classpath:db/migration", "classpath:db/test-migration").load().migrate();

        try (Store store = new Store(Database.connect(file), StoreTestSupport.FIXED)) {
            assertEquals(List.of("shell-1", "claude-1"), store.agents().listAll().stream().map(a -> a.name()).toList());
            assertEquals(List.of("a", "b"), store.plans().tasksOf(planId).stream().map(t -> t.key()).toList());
            assertEquals(List.of("a"), store.plans().tasksOf(planId).get(1).spec().dependsOn());
            assertEquals("shell-1", store.plans().tasksOf(planId).getFirst().spec().agent().orElseThrow());
            assertEquals("seeded", store.events().latest(1).getFirst().message());
            assertEquals("light", store.settings().get("ui.theme").orElseThrow());
            assertEquals("SHELL-1", store.database().read(dsl -> dsl.fetchValue("select nickname from agents where name = 'shell-1'")));
        }
    }

    @Test
    void fileThatIsNotADatabaseIsNamedInTheError() throws Exception {
        Path file = dir.resolve("notes.db");
        Files.writeString(file, "this is not a database, just text that someone saved with the wrong name");

        StoreException e = assertThrows(StoreException.class, () -> Store.open(file, StoreTestSupport.FIXED));

        assertTrue(e.getMessage().startsWith("cannot migrate the database " + file), e.getMessage());
        assertEquals("this is not a database, just text that someone saved with the wrong name", Files.readString(file));
    }
}
