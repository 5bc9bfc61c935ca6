package dev.controlroom.store;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cheap check that lets a start skip Flyway when the file is already at the newest schema. */
class MigrationCheckTest {
    @TempDir
    Path dir;

    @Test
    void theShippedListNamesEveryMigrationInTheFolder() throws IOException, URISyntaxException {
        Path folder = Path.of(Database.class.getResource("/db/migration").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(files.map(f -> f.getFileName().toString()).sorted().toList(), Database.MIGRATIONS,
                    "a new migration must be added to Database.MIGRATIONS");
        }
    }

    @Test
    void checksumIsTheOneFlywayStores() throws Exception {
        Path file = dir.resolve("cr.db");
        Flyway.configure().dataSource(Database.dataSource(file)).locations("classpath:db/migration").load().migrate();

        try (Connection c = Database.dataSource(file).getConnection(); Statement st = c.createStatement();
             var rows = st.executeQuery("SELECT script, checksum FROM flyway_schema_history ORDER BY installed_rank")) {
            for (String script : Database.MIGRATIONS) {
                assertTrue(rows.next(), script + " applied");
                assertEquals(script, rows.getString(1));
                assertEquals(rows.getInt(2), Database.checksum(script), script);
            }
        }
    }

    @Test
    void aMigratedFileIsUpToDateANewOneIsNot() {
        Path file = dir.resolve("cr.db");
        assertFalse(Database.upToDate(Database.dataSource(file)), "no schema yet");

        Database.open(file).close();

        assertTrue(Database.upToDate(Database.dataSource(file)));
    }

    @Test
    void anEditedFailedOrNewerMigrationIsLeftToFlyway() throws Exception {
        Path file = dir.resolve("cr.db");
        Database.open(file).close();

        execute(file, "UPDATE flyway_schema_history SET checksum = checksum + 1");
        assertFalse(Database.upToDate(Database.dataSource(file)), "edited migration");
        execute(file, "UPDATE flyway_schema_history SET checksum = checksum - 1, success = 0");
        assertFalse(Database.upToDate(Database.dataSource(file)), "failed migration");
        execute(file, "UPDATE flyway_schema_history SET success = 1");
        assertTrue(Database.upToDate(Database.dataSource(file)));

        Flyway.configure().dataSource(Database.dataSource(file))
                .locations("classpath:db/migration", "classpath:db/test-migration").load().migrate();
        assertFalse(Database.upToDate(Database.dataSource(file)), "a schema newer than this build");
    }

    @Test
    void aFileThatIsNotADatabaseIsLeftToFlyway() throws IOException {
        Path file = dir.resolve("notes.db");
        Files.writeString(file, "not a database");

        assertFalse(Database.upToDate(Database.dataSource(file)));
        assertEquals(List.of("not a database"), Files.readAllLines(file));
    }

    private static void execute(Path file, String sql) throws Exception {
        try (Connection c = Database.dataSource(file).getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }
}
