package dev.controlroom.orchestrator.steps;

import dev.controlroom.domain.Dag;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskState;
import dev.controlroom.orchestrator.ControlException;
import dev.controlroom.orchestrator.loop.EngineLoop;
import dev.controlroom.orchestrator.port.RunLedger;
import dev.controlroom.orchestrator.state.EngineState;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.WatchRules;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A new run of a task list: stored with every task's wave and first state, then owned by this engine. */
public final class BeginRun {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final EngineState state;
    private final RunLedger ledger;
    private final EngineLoop loop;
    private final StartReadyTasks starts;
    private final Clock clock;
    private final Path defaultWorkDir;
    private final long pid;
    private final java.util.Optional<java.time.Duration> engineSilence;

    public BeginRun(EngineState state, RunLedger ledger, EngineLoop loop, StartReadyTasks starts, Clock clock, Path defaultWorkDir, long pid,
                    java.util.Optional<java.time.Duration> engineSilence) {
        this.engineSilence = engineSilence;
        this.state = state;
        this.ledger = ledger;
        this.loop = loop;
        this.starts = starts;
        this.clock = clock;
        this.defaultWorkDir = defaultWorkDir;
        this.pid = pid;
    }

    /** Where a plan's relative paths resolve: beside its file, or the default folder for a plan without one. */
    public static Path baseDir(PlanSummary plan, Path defaultWorkDir) {
        return plan.sourcePath().map(Path::of).map(Path::toAbsolutePath).map(Path::getParent).orElse(defaultWorkDir);
    }

    /** Starts a run; the id it returns is the run's one id everywhere after. */
    public String begin(long planId, RunOptions options) {
        PlanSummary plan = ledger.plan(planId).orElseThrow(() -> new ControlException("no task list with id " + planId));
        List<StoredTask> tasks = ledger.tasksOf(planId);
        if (tasks.isEmpty()) {
            throw new ControlException("task list '" + plan.name() + "' has no tasks");
        }
        Map<String, Integer> waveOfKey = Dag.ofTasks(tasks.stream().map(StoredTask::spec).toList()).waves();
        String runId = "run-" + ID_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(randomSuffix());
        Map<Long, Integer> waveOf = new LinkedHashMap<>();
        Map<Long, TaskState> initial = new LinkedHashMap<>();
        for (StoredTask t : tasks) {
            waveOf.put(t.id(), waveOfKey.get(t.key()));
            initial.put(t.id(), t.spec().dependsOn().isEmpty() ? TaskState.READY : TaskState.PENDING);
        }
        int waves = waveOfKey.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        List<Event> events = loop.storeWaiting(tx -> {
            tx.createRun(runId, planId, options, pid, waveOf, initial);
            tx.event(Event.draft(EventType.RUN_STARTED, Severity.INFO, "run of '" + plan.name() + "' started: " + tasks.size()
                    + " tasks in " + waves + " waves, concurrency " + options.concurrency() + ", " + options.waveMode().id()
                    + " mode").withRun(runId).withPayload(Map.of("plan_id", planId, "tasks", tasks.size(), "waves", waves,
                    "started_by", options.startedBy())));
        });
        RunModel run = new RunModel(runId, options.waveMode(), options.concurrency(), baseDir(plan, defaultWorkDir),
                RunState.RUNNING, waves);
        run.watch(WatchRules.of(plan.watchdog(), ledger.settings(WatchRules.SETTINGS_PREFIX), engineSilence));
        for (StoredTask t : tasks) {
            run.add(t, waveOf.get(t.id()), initial.get(t.id()), 0);
        }
        run.link(clock.instant());
        state.own(run);
        loop.announce(events);
        starts.run();
        return runId;
    }

    private static byte[] randomSuffix() {
        byte[] suffix = new byte[2];
        RANDOM.nextBytes(suffix);
        return suffix;
    }
}
