package dev.controlroom.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Severity;
import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.port.AgentRuntime.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session's recorded output through its observer: what reaches the engine (signals), the event log and the session's row. */
class ExtractingObserverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AgentRuntime.SessionContext CONTEXT = new AgentRuntime.SessionContext("r-1", 7, 3, 1);

    @TempDir
    Path dir;
    private final List<Signal> signals = new CopyOnWriteArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> recorded = new CopyOnWriteArrayList<>();

    private SessionObserver observer(SessionObserver.Started started, CliVersions probe) {
        return ExtractingObserver.factory(events::add, probe, (session, cli, version) -> recorded.add(session + " " + cli + " " + version))
                .create("s-1", CONTEXT, started, signals::add);
    }

    private CliVersions probe() {
        return new CliVersions(new CliDetector(dir.toString(), false), Duration.ofSeconds(10));
    }

    private static void feed(SessionObserver observer, List<String> lines) {
        lines.forEach(observer::onLine);
        observer.onEnd();
    }

    @Test
    void codexUsageIsCountedOnTheModelTheSessionWasStartedOn() {
        feed(observer(new SessionObserver.Started("codex", true, Optional.of("gpt-5.5"), Optional.empty()), probe()),
                recorded("codex", "success"));

        assertEquals(List.of(Optional.of("gpt-5.5")), signals.stream().filter(Signal.Usage.class::isInstance)
                .map(s -> ((Signal.Usage) s).model()).toList());
    }

    @Test
    void theModelTheStreamSaysWinsOverTheOneItWasStartedOn() {
        feed(observer(new SessionObserver.Started("claude", true, Optional.of("sonnet"), Optional.empty()), probe()),
                recorded("claude", "success"));

        assertEquals(List.of(Optional.of("claude-opus-4-8")), signals.stream().filter(Signal.Usage.class::isInstance)
                .map(s -> ((Signal.Usage) s).model()).toList());
    }

    @Test
    void aTestedVersionIsRecordedWithTheSessionWithoutAWarning() {
        feed(observer(new SessionObserver.Started("claude", true, Optional.empty(), Optional.empty()), probe()), recorded("claude", "success"));

        assertEquals(List.of("s-1 claude 2.1.197"), recorded);
        assertTrue(events.stream().noneMatch(e -> e.type() == EventType.CLI_VERSION_UNTESTED));
    }

    @Test
    void aVersionNewerThanTestedIsRecordedAndWarnedAboutOnceOnTheSession() {
        List<String> lines = withVersion(recorded("claude", "success"), "2.1.300");

        feed(observer(new SessionObserver.Started("claude", true, Optional.empty(), Optional.empty()), probe()), lines);

        assertEquals(List.of("s-1 claude 2.1.300"), recorded);
        List<Event> warnings = events.stream().filter(e -> e.type() == EventType.CLI_VERSION_UNTESTED).toList();
        assertEquals(1, warnings.size());
        assertEquals(Severity.WARNING, warnings.getFirst().severity());
        assertEquals(Optional.of("s-1"), warnings.getFirst().sessionId());
        assertTrue(warnings.getFirst().message().startsWith("claude 2.1.300 is newer than the newest version tested (2.1.197)"),
                warnings.getFirst().message());
    }

    @Test
    void whatTheStreamSaysWinsOverWhatVersionAnswered() throws Exception {
        Path exe = dir.resolve("claude");
        Files.writeString(exe, "#!/bin/sh\necho '2.1.100 (Claude Code)'\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        CliVersions probe = probe();

        SessionObserver observer = observer(new SessionObserver.Started("claude", true, Optional.empty(), Optional.of(exe)), probe);
        assertEquals(Optional.of("2.1.100"), probe.versionOf(exe).get(10, TimeUnit.SECONDS));
        awaitRecorded(1);
        feed(observer, recorded("claude", "success"));

        assertEquals("s-1 claude 2.1.197", recorded.getLast());
    }

    @Test
    void aCliWhoseStreamDoesNotSayItsVersionIsAskedWithVersion() throws Exception {
        Path exe = dir.resolve("codex");
        Files.writeString(exe, "#!/bin/sh\necho 'codex-cli 0.170.2'\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        CliVersions probe = probe();

        feed(observer(new SessionObserver.Started("codex", true, Optional.empty(), Optional.of(exe)), probe), recorded("codex", "success"));
        awaitRecorded(1);

        assertEquals(List.of("s-1 codex 0.170.2"), recorded);
        assertEquals(1, events.stream().filter(e -> e.type() == EventType.CLI_VERSION_UNTESTED).count());
    }

    /** The probe's answer arrives on another thread. */
    private void awaitRecorded(int count) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (recorded.size() < count && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(count, recorded.size(), recorded::toString);
    }

    private static List<String> withVersion(List<String> lines, String version) {
        try {
            ObjectNode init = (ObjectNode) JSON.readTree(lines.getFirst());
            init.put("claude_code_version", version);
            List<String> changed = new java.util.ArrayList<>(lines);
            changed.set(0, init.toString());
            return changed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> recorded(String cli, String scenario) {
        try (InputStream in = ExtractingObserverTest.class.getResourceAsStream("/agent-samples/" + cli + "/" + scenario + ".jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
