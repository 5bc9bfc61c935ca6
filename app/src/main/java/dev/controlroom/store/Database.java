package dev.controlroom.store;

import dev.controlroom.domain.PrivateFiles;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One SQLite file in WAL mode: a single writer connection (SQLite allows one writer at a time, so
 * writes are serialised here instead of fighting over the file lock) and a few reader connections
 * that read concurrently with it.
 */
public final class Database implements AutoCloseable {

    private static final int READERS = 3;
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private final Path file;
    private final Connection writer;
    private final DSLContext writeDsl;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> all = new ArrayList<>();
    private final Settings settings = new Settings().withRenderSchema(false).withExecuteLogging(false);
    private final WriteHealth health;

    private Database(Path file, SQLiteDataSource dataSource) throws SQLException {
        this.file = file;
        this.health = new WriteHealth(file, java.time.Clock.systemUTC());
        this.writer = dataSource.getConnection();
        all.add(writer);
        this.writeDsl = DSL.using(writer, SQLDialect.SQLITE, settings);
        for (int i = 0; i < READERS; i++) {
            Connection reader = dataSource.getConnection();
            all.add(reader);
            readers.add(reader);
        }
    }

    /**
     * Opens (creating when needed) the database file and migrates it to the newest schema.
     *
     * @throws StoreException naming the file when it cannot be created, opened or migrated
     */
    /**
     * SQLite gives its -wal and -shm files the database file's permissions, so a private database
     * file keeps all three private. A database of an earlier version is made private too; one this
     * user may not change (another owner's) is left as it is.
     */
    private static void privateToItsOwner(Path database) {
        try {
            PrivateFiles.createFile(database);
        } catch (IOException e) {
            throw new StoreException("cannot create the database " + database + ": " + e.getMessage(), e);
        }
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            try {
                PrivateFiles.restrict(Path.of(database + suffix));
            } catch (IOException notOurs) {
                // not this user's file to change: it stays as its owner made it
            }
        }
    }

    public static Database open(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            Path parent = absolute.getParent();
            if (parent != null) {
                PrivateFiles.createFolders(parent);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the folder for the database " + absolute + ": " + e.getMessage(), e);
        }
        privateToItsOwner(absolute);
        SQLiteDataSource dataSource = dataSource(absolute);
        migrate(absolute, dataSource);
        try {
            return new Database(absolute, dataSource);
        } catch (SQLException e) {
            throw new StoreException("cannot open the database " + absolute + ": " + e.getMessage(), e);
        }
    }

    /** Connects without migrating: for tests that hold a database at an older schema version. */
    static Database connect(Path file) {
        try {
            return new Database(file.toAbsolutePath(), dataSource(file.toAbsolutePath()));
        } catch (SQLException e) {
            throw new StoreException("cannot open the database " + file + ": " + e.getMessage(), e);
        }
    }

    static SQLiteDataSource dataSource(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // Deleted and overwritten content is zeroed, not left in free pages: a secret moved out of a row is gone from the file.
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    /**
     * The migrations under {@code db/migration}, in order: what a database at the newest schema has
     * applied. A new migration goes here too (a test compares this list with the folder).
     */
    static final List<String> MIGRATIONS = List.of("V001__control_room_schema.sql", "V002__engine_lease.sql",
            "V003__watchdog_and_failure_class.sql", "V004__session_cli_version.sql", "V005__qwen_profile.sql", "V006__task_parent.sql");

    /** Applies the migrations under {@code db/migration} that the file has not seen yet. */
    static void migrate(Path file, SQLiteDataSource dataSource) {
        if (upToDate(dataSource)) {
            return;
        }
        try {
            Flyway.configure(Database.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate the database " + file + ": " + rootMessage(e), e);
        }
    }

    /**
     * Whether the file has applied exactly the shipped migrations, each successfully and unchanged
     * (Flyway's checksum), and nothing else: then Flyway, whose start (scanning the class path,
     * loading its plugins) costs a start of the window a tenth of a second or more, has nothing to
     * do. Anything else (a new file, an older or newer schema, a failed or edited migration, a file
     * that is not a database) is left to Flyway, which migrates it or says why it cannot.
     */
    static boolean upToDate(SQLiteDataSource dataSource) {
        List<String> shipped = new ArrayList<>();
        for (String script : MIGRATIONS) {
            String version = script.substring(1, script.indexOf("__")).replace('_', '.');
            shipped.add(version + " " + script + " " + checksum(script));
        }
        List<String> applied = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery(
                     "SELECT version, script, checksum, success FROM flyway_schema_history ORDER BY installed_rank")) {
            while (rows.next()) {
                if (!rows.getBoolean(4)) {
                    return false;
                }
                applied.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getObject(3));
            }
        } catch (SQLException e) {
            return false;
        }
        return applied.equals(shipped);
    }

    /** Flyway's checksum of a migration: CRC32 over its lines (UTF-8, no line breaks, no byte order mark). */
    static int checksum(String script) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        String resource = "/db/migration/" + script;
        try (java.io.InputStream in = Database.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the migration " + resource + " is missing from the application");
            }
            java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            boolean first = true;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (first && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                first = false;
                crc.update(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }

    public Path file() {
        return file;
    }

    /** Runs {@code work} in one transaction on the writer connection; all or nothing. */
    public <T> T write(Function<DSLContext, T> work) {
        T result;
        writeLock.lock();
        try {
            result = writeDsl.transactionResult(cfg -> work.apply(cfg.dsl()));
        } catch (org.jooq.exception.DataAccessException e) {
            StoreException refused = new StoreException("database " + file + ": " + rootMessage(e), e);
            health.refused(refused);
            throw refused;
        } finally {
            writeLock.unlock();
        }
        health.taken();
        return result;
    }

    /** Whether the database takes writes now (a full disk, another program's lock), as the writes find out. */
    public WriteHealth health() {
        return health;
    }

    /** Runs {@code work} on a reader connection; sees the last committed state. */
    public <T> T read(Function<DSLContext, T> work) {
        Connection connection;
        try {
            connection = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection");
        }
        try {
            return work.apply(DSL.using(connection, SQLDialect.SQLITE, settings));
        } catch (org.jooq.exception.DataAccessException e) {
            throw new StoreException("database " + file + ": " + rootMessage(e), e);
        } finally {
            readers.add(connection);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            for (Connection c : all) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing: nothing left to save
                }
            }
        } finally {
            writeLock.unlock();
        }
    }
}
