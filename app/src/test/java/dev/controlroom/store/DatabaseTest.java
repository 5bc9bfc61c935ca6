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
        // Rows as version 1 wrote them (today's code writes columns of later versions, so plain SQL).
        long planId = 1;
        try (java.sql.Connection conn = Database.dataSource(file).getConnection(); java.sql.Statement st = conn.createStatement()) {
            st.executeUpdate("INSERT INTO teams (id, name, created_at) VALUES (1, 'Engineering', 0)");
            st.executeUpdate("INSERT INTO agents (name, team_id, profile, hired_at, created_at, updated_at) VALUES"
                    + " ('shell-1', 1, 'shell', 0, 0, 0), ('claude-1', 1, 'claude', 0, 0, 0)");
            st.executeUpdate("INSERT INTO plans (id, name, format, imported_at) VALUES (1, 'keep', 'yaml', 0)");
            st.executeUpdate("INSERT INTO tasks (id, plan_id, key, title, command, preferred_agent_id, position, created_at, updated_at)"
                    + " VALUES (1, 1, 'a', 'a', 'echo a', 1, 0, 0, 0), (2, 1, 'b', 'b', 'echo b', NULL, 1, 0, 0)");
            st.executeUpdate("INSERT INTO task_dependencies (task_id, depends_on_id) VALUES (2, 1)");
            st.executeUpdate("INSERT INTO events (at, type, severity, message) VALUES (0, 'roster_seeded', 'info', 'seeded')");
            st.executeUpdate("INSERT INTO settings (key, value, updated_at) VALUES ('ui.theme', 'light', 0)");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
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
    void qwenProfileMigrationKeepsAgentsAndWhatReferencesThemAndStillRejectsUnknownProfiles() throws Exception {
        Path file = dir.resolve("before-qwen.db");
        Flyway.configure().dataSource(Database.dataSource(file)).locations("classpath:db/migration").target("4").load().migrate();
        try (java.sql.Connection conn = Database.dataSource(file).getConnection(); java.sql.Statement st = conn.createStatement()) {
            st.executeUpdate("INSERT INTO agents (name, profile, hired_at, created_at, updated_at) VALUES"
                    + " ('gone', 'shell', 0, 0, 0), ('claude-1', 'claude', 0, 0, 0)");
            st.executeUpdate("DELETE FROM agents WHERE name = 'gone'");
            st.executeUpdate("INSERT INTO plans (id, name, format, imported_at) VALUES (1, 'keep', 'yaml', 0)");
            st.executeUpdate("INSERT INTO tasks (id, plan_id, key, title, command, preferred_agent_id, position, created_at, updated_at)"
                    + " VALUES (1, 1, 'a', 'a', 'echo a', 2, 0, 0, 0)");
        }

        try (Store store = Store.open(file, StoreTestSupport.FIXED)) {
            assertEquals(List.of("claude-1"), store.agents().listAll().stream().map(a -> a.name()).toList());
            assertEquals("claude-1", store.plans().tasksOf(1).getFirst().spec().agent().orElseThrow(), "no ON DELETE action fired");
            store.agents().hire(new NewAgent("qwen-1", java.util.Optional.empty(), AgentProfile.QWEN, java.util.Optional.empty(),
                    java.util.Optional.empty(), 1));
            assertEquals(AgentProfile.QWEN, store.agents().findByName("qwen-1").orElseThrow().profile());
            assertEquals(3L, store.agents().findByName("qwen-1").orElseThrow().id(), "a fired agent's id is not handed out again");
            assertEquals("ok", store.database().read(dsl -> dsl.fetchValue("PRAGMA integrity_check")).toString());
            assertTrue(store.database().read(dsl -> dsl.fetch("PRAGMA foreign_key_check")).isEmpty());
        }
        try (java.sql.Connection conn = Database.dataSource(file).getConnection(); java.sql.Statement st = conn.createStatement()) {
            java.sql.SQLException unknown = assertThrows(java.sql.SQLException.class, () -> st.executeUpdate(
                    "INSERT INTO agents (name, profile, hired_at, created_at, updated_at) VALUES ('x', 'nope', 0, 0, 0)"));
            assertTrue(unknown.getMessage().contains("CHECK constraint failed"), unknown.getMessage());
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
