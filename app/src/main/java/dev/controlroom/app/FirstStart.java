package dev.controlroom.app;

import dev.controlroom.domain.EventType;
import dev.controlroom.agent.CliDetector;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.domain.Severity;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.store.PlanStore;
import dev.controlroom.store.Store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Seeds an empty database once: a shell agent, one agent per agent CLI found on PATH, and a
 * sample plan that runs with no AI CLI installed. A database that was seeded before is left alone.
 */
public final class FirstStart {
    static final String SEEDED_KEY = "seeded_at_version";
    static final String SAMPLE_RESOURCE = "/plans/sample-plan.yaml";
    static final String DEFAULT_TEAM = "Engineering";

    private final Store store;
    private final CliDetector detector;

    public FirstStart(Store store, CliDetector detector) {
        this.store = store;
        this.detector = detector;
    }

    /** Seeds when the database has never been seeded; returns whether it did. */
    /** The names of the agents a first start hires with these CLIs on PATH: the roster a new database will have. */
    public static java.util.Set<String> firstRoster(CliDetector detector) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        names.add("shell-1");
        detector.detect().forEach(cli -> names.add(cli.profile().id() + "-1"));
        return names;
    }

    public boolean seedIfNew(Path sampleFolder) {
        if (store.settings().get(SEEDED_KEY).isPresent()) {
            return false;
        }
        // Each step is idempotent, so a first start cut short is completed by the next one.
        hireOnce(new NewAgent("shell-1", Optional.of(DEFAULT_TEAM), AgentProfile.SHELL, Optional.empty(),
                Optional.empty(), 2));
        var clis = detector.detect();
        for (CliDetector.DetectedCli cli : clis) {
            hireOnce(NewAgent.of(cli.profile().id() + "-1", DEFAULT_TEAM, cli.profile()));
        }
        Path sample = writeSample(sampleFolder);
        boolean imported = store.plans().list().stream().anyMatch(p -> p.sourcePath().equals(Optional.of(sample.toString())));
        if (!imported) {
            importSample(sample);
        }
        String found = clis.isEmpty() ? "no agent CLI found on PATH"
                : "agents for " + String.join(", ", clis.stream().map(c -> c.profile().id()).toList());
        store.events().append(Event.draft(EventType.ROSTER_SEEDED, Severity.INFO,
                "First start: hired shell-1 and " + found + "; imported the sample plan " + sample));
        store.prices().seedDefaultsIfEmpty();
        store.settings().put(SEEDED_KEY, AppInfo.version());
        return true;
    }

    private void importSample(Path sample) {
        var plan = new PlanReader(Set.of()).read(sample).orThrow();
        store.plans().importPlan(plan, PlanStore.Source.of(sample.toString(), "yaml", readString(sample)));
    }

    private void hireOnce(NewAgent agent) {
        if (store.agents().findByName(agent.name()).isEmpty()) {
            store.agents().hire(agent);
        }
    }

    private static Path writeSample(Path folder) {
        try (InputStream in = FirstStart.class.getResourceAsStream(SAMPLE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the sample plan is missing from the application: " + SAMPLE_RESOURCE);
            }
            Files.createDirectories(folder);
            Path file = folder.resolve("sample-plan.yaml");
            if (!Files.exists(file)) {
                Files.write(file, in.readAllBytes());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sample plan into " + folder + ": " + e.getMessage(), e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
