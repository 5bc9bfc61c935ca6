package dev.controlroom.bench;

import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.store.Store;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench chaos}: a plan of tasks with dependencies, retries, verify commands and children that
 * detach (nohup, setsid) is run by a real engine process that is killed with SIGKILL at random
 * moments and resumed, again and again, until the run ends; in some trials another program holds
 * the database's write lock for a while, in others the disk the database is on (a small tmpfs of
 * its own) is full for a while. Then what must hold is checked against what the tasks themselves
 * wrote down.
 */
final class ChaosBench {
    /** What must hold after any number of crashes, and what breaks it. */
    enum Invariant {
        COMPLETED_TWICE("no task completed twice"),
        FINISHED_RUN_AGAIN("no finished task run again"),
        EXIT_CODE_WRONG("every stored exit code is the process's"),
        LINE_LOST_OR_DOUBLED("every line of a finished session stored once"),
        PROCESS_LEFT("no process of the run alive"),
        RUN_UNFINISHED("the run ends"),
        INTEGRITY("PRAGMA integrity_check ok");

        final String text;

        Invariant(String text) {
            this.text = text;
        }
    }

    /** What else goes wrong in a trial, besides the kills. */
    enum Fault {
        LOCKED, DISK_FULL, NONE
    }

    private static final int LINES_PER_TASK = 20;
    static final long LOCK_MILLIS = 12_000;
    static final long FULL_MILLIS = 5_000;
    private final PrintWriter out;
    private final Path work;
    private final Random random;

    ChaosBench(PrintWriter out, Path work, long seed) {
        this.out = out;
        this.work = work;
        this.random = new Random(seed);
    }

    /** The table of trials, kills and violations per invariant; returns the violations. */
    Map<Invariant, Integer> run(int trials, int tasks) throws Exception {
        Map<Invariant, Integer> violations = new LinkedHashMap<>();
        for (Invariant i : Invariant.values()) {
            violations.put(i, 0);
        }
        int kills = 0;
        int locks = 0;
        int fulls = 0;
        long start = System.nanoTime();
        for (int t = 0; t < trials; t++) {
            Path dir = Files.createDirectories(work.resolve("trial-" + t));
            Fault fault = Fault.values()[t % Fault.values().length];
            Map<Invariant, Integer> found;
            Trial trial;
            // The database of a trial with a full disk lives on a small disk of its own, so filling it fills nothing else.
            try (SmallDisk disk = fault == Fault.DISK_FULL ? SmallDisk.mount(dir.resolve("db"), 64) : null) {
                trial = new Trial(dir, disk == null ? dir : disk.path(), tasks, fault, disk);
                trial.play();
                found = trial.check();
            }
            kills += trial.kills;
            locks += trial.faulted && fault == Fault.LOCKED ? 1 : 0;
            fulls += trial.faulted && fault == Fault.DISK_FULL ? 1 : 0;
            found.forEach((i, n) -> violations.merge(i, n, Integer::sum));
            String what = !trial.faulted ? "" : switch (fault) {
                case LOCKED -> ", database locked " + LOCK_MILLIS / 1000 + " s";
                case DISK_FULL -> ", disk full " + FULL_MILLIS / 1000 + " s";
                case NONE -> "";
            };
            out.printf("trial %d: %d kill(s)%s, %s%n", t + 1, trial.kills, what, found.isEmpty() ? "all invariants hold" : "VIOLATIONS " + found);
            out.flush();
        }
        out.printf("%nbench chaos: %d trials of %d tasks, %d kill -9 of the engine, %d trial(s) with the database locked for %d s,"
                        + " %d with its disk full for %d s (%.0f s)%n", trials, tasks, kills, locks, LOCK_MILLIS / 1000, fulls,
                FULL_MILLIS / 1000, (System.nanoTime() - start) / 1e9);
        out.printf("%-48s %s%n", "invariant", "violations");
        violations.forEach((i, n) -> out.printf("%-48s %d%n", i.text, n));
        out.flush();
        return violations;
    }

    private final class Trial {
        final Path dir;
        final Path db;
        final Path log;
        final int tasks;
        final Fault fault;
        final SmallDisk disk;
        int kills;
        boolean faulted;
        /** The lock's holder or the disk's filler, waited for before the trial is checked. */
        Thread faultThread;

        /** @param dbDir where the database lives: the trial's folder, or a small disk of its own that will be filled */
        Trial(Path dir, Path dbDir, int tasks, Fault fault, SmallDisk disk) {
            this.dir = dir;
            this.db = dbDir.resolve("chaos.db");
            this.log = dir.resolve("executions.log");
            this.tasks = tasks;
            this.fault = fault;
            this.disk = disk;
        }

        void play() throws Exception {
            Files.writeString(dir.resolve("task.sh"), """
                    id=$1; fail_first=$2
                    echo "start $id $CONTROL_ROOM_SESSION_ID $CONTROL_ROOM_ATTEMPT" >> "$LOG"
                    i=0; while [ $i -lt %d ]; do echo "line $CONTROL_ROOM_SESSION_ID $i"; i=$((i+1)); done
                    nohup sleep 600 > /dev/null 2>&1 &
                    ( setsid sleep 600 > /dev/null 2>&1 & ) &
                    sleep 0.3
                    code=0; if [ "$fail_first" = 1 ] && [ "$CONTROL_ROOM_ATTEMPT" = 1 ]; then code=3; fi
                    touch "done-$id"
                    echo "end $id $CONTROL_ROOM_SESSION_ID $code" >> "$LOG"
                    exit $code
                    """.formatted(LINES_PER_TASK));
            StringBuilder plan = new StringBuilder("name: chaos\nsettings: { concurrency: 4 }\ntasks:\n");
            for (int i = 0; i < tasks; i++) {
                List<String> deps = new ArrayList<>();
                if (i > 0) {
                    deps.add("t" + random.nextInt(i));
                    if (i > 3 && random.nextBoolean()) {
                        deps.add("t" + random.nextInt(i));
                    }
                }
                boolean failFirst = random.nextInt(4) == 0;
                plan.append("  - { id: t").append(i).append(", command: \"sh task.sh t").append(i).append(failFirst ? " 1" : " 0")
                        .append("\", max_attempts: 2, verify: [\"test -f done-t").append(i).append("\"]")
                        .append(", depends_on: [").append(String.join(", ", deps.stream().distinct().toList())).append("]")
                        .append(", context: { env: { LOG: \"").append(log).append("\" } } }\n");
            }
            Path planFile = Files.writeString(dir.resolve("chaos.yaml"), plan.toString());
            int attempt = 0;
            while (attempt++ < 40) {
                // Killed before it stored its run (while starting): the next engine starts it, otherwise it resumes it.
                List<String> args = hasRun() ? List.of("resume", "--db", db.toString())
                        : List.of("run", planFile.toString(), "--db", db.toString());
                Process engine = start(args);
                if (fault != Fault.NONE && !faulted && attempt == 2) {
                    faulted = true;
                    faultThread = fault == Fault.LOCKED ? holdTheLock(LOCK_MILLIS) : fillTheDisk(FULL_MILLIS);
                }
                long killAfter = 300 + random.nextInt(3_500);
                if (engine.waitFor(killAfter, TimeUnit.MILLISECONDS)) {
                    if (finished()) {
                        return;
                    }
                    continue; // it ended without the run ending (refused, or nothing to resume yet): try again
                }
                engine.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                kills++;
            }
            // Enough chaos: the last engine runs the run to its end.
            Process engine = start(hasRun() ? List.of("resume", "--db", db.toString()) : List.of("run", planFile.toString(), "--db", db.toString()));
            engine.waitFor(5, TimeUnit.MINUTES);
        }

        private Process start(List<String> args) throws IOException {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", absoluteClassPath(), "dev.controlroom.Launcher"));
            command.addAll(args);
            return new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("engine.out").toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("engine.err").toFile())).start();
        }

        /** This JVM's class path with every entry absolute: the engine starts in the trial's folder. */
        private static String absoluteClassPath() {
            return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                    .map(e -> Path.of(e).toAbsolutePath().toString()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        }

        /** Another program takes the database's write lock (as a backup tool or a second reader-writer would) and keeps it. */
        private Thread holdTheLock(long millis) {
            return Thread.ofPlatform().name("chaos-lock").start(() -> {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
                    s.execute("PRAGMA busy_timeout = 10000");
                    s.execute("BEGIN IMMEDIATE");
                    Thread.sleep(millis);
                    s.execute("ROLLBACK");
                } catch (Exception e) {
                    out.println("  (could not hold the database lock: " + e.getMessage() + ")");
                }
            });
        }

        /** The disk the database is on fills up to the last byte (another program's download, a log gone wild) and is freed again. */
        private Thread fillTheDisk(long millis) {
            return Thread.ofPlatform().name("chaos-full").start(() -> {
                try {
                    disk.fill();
                    Thread.sleep(millis);
                } catch (Exception e) {
                    out.println("  (could not fill the disk: " + e.getMessage() + ")");
                } finally {
                    try {
                        disk.free();
                    } catch (IOException e) {
                        out.println("  (could not free the disk: " + e.getMessage() + ")");
                    }
                }
            });
        }

        private boolean hasRun() throws InterruptedException {
            return Files.exists(db) && read(store -> !store.runs().latest(1).isEmpty());
        }

        private boolean finished() throws InterruptedException {
            return Files.exists(db) && read(store -> store.runs().latest(1).stream().anyMatch(r -> r.state().isFinished()));
        }

        /** Reads the trial's database, waiting while the lock this benchmark holds (or a killed engine's migration) keeps it busy. */
        private boolean read(java.util.function.Predicate<Store> question) throws InterruptedException {
            for (int tries = 0; ; tries++) {
                try (Store store = Store.open(db, Clock.systemUTC())) {
                    return question.test(store);
                } catch (RuntimeException busy) {
                    if (tries >= 40) {
                        throw busy;
                    }
                    Thread.sleep(1_000);
                }
            }
        }

        Map<Invariant, Integer> check() throws Exception {
            if (faultThread != null) {
                faultThread.join();
            }
            Map<Invariant, Integer> v = new LinkedHashMap<>();
            List<String> logLines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            Map<String, Integer> endCodeBySession = new HashMap<>();
            for (String line : logLines) {
                String[] f = line.split(" ");
                if (f[0].equals("end") && f.length == 4) {
                    endCodeBySession.put(f[2], Integer.parseInt(f[3]));
                }
            }
            if (!Files.exists(db)) {
                v.merge(Invariant.RUN_UNFINISHED, 1, Integer::sum);
                return v;
            }
            read(store -> true); // waits out the benchmark's own lock
            try (Store store = Store.open(db, Clock.systemUTC())) {
                if (store.runs().latest(1).isEmpty()) {
                    v.merge(Invariant.RUN_UNFINISHED, 1, Integer::sum);
                    return v;
                }
                RunSummary run = store.runs().latest(1).getFirst();
                if (!run.state().isFinished()) {
                    v.merge(Invariant.RUN_UNFINISHED, 1, Integer::sum);
                }
                Map<Long, String> keys = new HashMap<>();
                store.plans().tasksOf(run.planId()).forEach((StoredTask t) -> keys.put(t.id(), t.key()));
                Map<String, List<SessionRecord>> byTask = new HashMap<>();
                for (SessionRecord s : store.runs().sessions(run.id())) {
                    byTask.computeIfAbsent(keys.get(s.taskId()), k -> new ArrayList<>()).add(s);
                    if (s.exitCode().isPresent()) {
                        Integer printed = endCodeBySession.get(s.id());
                        if (printed == null || !printed.equals(s.exitCode().get())) {
                            v.merge(Invariant.EXIT_CODE_WRONG, 1, Integer::sum);
                        }
                        List<String> stored = store.output().lines(s.id(), 0, 10_000);
                        for (int i = 0; i < LINES_PER_TASK; i++) {
                            String want = "line " + s.id() + " " + i;
                            long n = stored.stream().filter(want::equals).count();
                            if (n != 1) {
                                v.merge(Invariant.LINE_LOST_OR_DOUBLED, 1, Integer::sum);
                                break;
                            }
                        }
                    }
                }
                for (List<SessionRecord> sessions : byTask.values()) {
                    long succeeded = sessions.stream().filter(s -> s.exitCode().equals(java.util.Optional.of(0))
                            && s.status().equals("exited") && s.endReason().equals(java.util.Optional.of("succeeded"))).count();
                    if (succeeded > 1) {
                        v.merge(Invariant.COMPLETED_TWICE, 1, Integer::sum);
                    }
                    sessions.stream().filter(s -> s.endReason().equals(java.util.Optional.of("succeeded"))).findFirst().ifPresent(done -> {
                        if (sessions.stream().anyMatch(s -> s.startedAt().isAfter(done.endedAt().orElse(done.startedAt())))) {
                            v.merge(Invariant.FINISHED_RUN_AGAIN, 1, Integer::sum);
                        }
                    });
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!leftovers(run.id()).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                int left = leftovers(run.id()).size();
                if (left > 0) {
                    v.merge(Invariant.PROCESS_LEFT, left, Integer::sum);
                    leftovers(run.id()).forEach(ProcessHandle::destroyForcibly);
                }
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                if (!r.next() || !"ok".equals(r.getString(1))) {
                    v.merge(Invariant.INTEGRITY, 1, Integer::sum);
                }
            }
            return v;
        }

        private List<ProcessHandle> leftovers(String runId) {
            return List.copyOf(dev.controlroom.agent.ProcessTree.carrying("CONTROL_ROOM_RUN_ID", runId::equals, 0));
        }
    }
}
