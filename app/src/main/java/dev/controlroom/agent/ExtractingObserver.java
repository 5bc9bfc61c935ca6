package dev.controlroom.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.controlroom.agent.extract.AgentEvent;
import dev.controlroom.agent.extract.OutputParser;
import dev.controlroom.agent.extract.Parsers;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.TestedCliVersions;
import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.port.AgentRuntime.Signal;

import java.util.List;
import java.util.function.Consumer;

/**
 * Turns one session's output lines into the normalised events (stored, for the log and the
 * insights) and into the signals the engine decides on (its own session id, a question, a rate
 * limit, tokens, errors, the end of a turn). Runs on the session's reader thread.
 */
public final class ExtractingObserver implements SessionObserver {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ExtractingObserver.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module())
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final int TEXT_LIMIT = 2000;

    private final String sessionId;
    private final AgentRuntime.SessionContext context;
    private final OutputParser parser;
    private final AgentRuntime.SignalListener signals;
    private final Consumer<Event> events;
    /** For a CLI that reports a thread's usage so far (Codex): the engine's threads, and this session's thread once seen. */
    private final java.util.Optional<ThreadUsage> threads;
    private java.util.Optional<String> thread = java.util.Optional.empty();
    private final SessionObserver.Started started;
    private final CliVersionSink versions;
    /** The model the CLI said it runs on, for usage lines that name none. */
    private java.util.Optional<String> streamModel = java.util.Optional.empty();
    /** The CLI's version as last recorded, whether the stream said it (which wins over --version), and whether it was warned about. */
    private java.util.Optional<String> cliVersion = java.util.Optional.empty();
    private boolean versionFromStream;
    private boolean warned;

    /** Where the version of a session's CLI ({@code claude}, {@code codex}, ...) goes once known: the session's row. */
    @FunctionalInterface
    public interface CliVersionSink {
        void record(String sessionId, String cli, String version);

        CliVersionSink NONE = (session, cli, version) -> { };
    }

    public ExtractingObserver(String sessionId, AgentRuntime.SessionContext context, OutputParser parser,
                              AgentRuntime.SignalListener signals, Consumer<Event> events) {
        this(sessionId, context, parser, signals, events, java.util.Optional.empty(),
                new SessionObserver.Started("custom", false, java.util.Optional.empty(), java.util.Optional.empty()), CliVersionSink.NONE);
    }

    private ExtractingObserver(String sessionId, AgentRuntime.SessionContext context, OutputParser parser,
                               AgentRuntime.SignalListener signals, Consumer<Event> events, java.util.Optional<ThreadUsage> threads,
                               SessionObserver.Started started, CliVersionSink versions) {
        this.sessionId = sessionId;
        this.context = context;
        this.parser = parser;
        this.signals = signals;
        this.events = events;
        this.threads = threads;
        this.started = started;
        this.versions = versions;
    }

    /**
     * The factory the runtime uses: a parser per profile, events to {@code events}, the CLI's version
     * (asked with {@code --version} through {@code probe}, or said by its stream) to {@code versions}.
     */
    public static SessionObserver.Factory factory(Consumer<Event> events, CliVersions probe, CliVersionSink versions) {
        ThreadUsage threads = new ThreadUsage();
        return (id, context, started, signals) -> {
            ExtractingObserver observer = new ExtractingObserver(id, context, Parsers.forProfile(started.profileId(), started.structured()),
                    signals, events, ThreadUsage.cumulative(started.profileId()) ? java.util.Optional.of(threads) : java.util.Optional.empty(),
                    started, versions);
            started.executable().ifPresent(exe -> probe.versionOf(exe).thenAccept(v -> v.ifPresent(version -> observer.learned(version, false))));
            return observer;
        };
    }

    /**
     * The CLI's version became known: recorded with the session, and warned about once when newer than
     * the newest tested. What the stream says wins over what {@code --version} answered (the stream is
     * the process that runs; the file may have been updated since).
     */
    synchronized void learned(String version, boolean fromStream) {
        if (versionFromStream && !fromStream || cliVersion.equals(java.util.Optional.of(version))) {
            return;
        }
        versionFromStream |= fromStream;
        cliVersion = java.util.Optional.of(version);
        AgentProfile profile = AgentProfile.fromId(started.profileId()).orElse(AgentProfile.CUSTOM);
        String cli = profile.executable().orElse(profile.id());
        versions.record(sessionId, cli, version);
        if (warned) {
            return;
        }
        TestedCliVersions.warning(profile, cli, version).ifPresent(text -> {
            warned = true;
            events.accept(Event.draft(EventType.CLI_VERSION_UNTESTED, Severity.WARNING, text).withRun(context.runId())
                    .withTask(context.taskId()).withAgent(context.agentId()).withSession(sessionId)
                    .withPayload(java.util.Map.of("cli", cli, "version", version, "newest_tested",
                            TestedCliVersions.newest(profile).orElseThrow(), "iteration", context.iteration())));
        });
    }

    @Override
    public void onEnd() {
        try {
            handle(parser.onEnd());
        } catch (RuntimeException ex) {
            LOG.log(java.util.logging.Level.WARNING, "the output parser failed at the end of session " + sessionId, ex);
        }
    }

    /** Never throws: whatever an agent prints, its output is still stored and its process still followed. */
    private void handle(List<AgentEvent> extracted) {
        for (AgentEvent reported : extracted) {
            AgentEvent e = reported;
            try {
                e = withModel(reported);
                signal(e);
                store(e);
            } catch (RuntimeException ex) {
                LOG.log(java.util.logging.Level.WARNING, "could not handle an extracted " + e.type() + " event of session " + sessionId, ex);
            }
        }
    }

    /** The question last seen on an open line: when that line completes (the answer echoed after it), it is not asked again. */
    private volatile java.util.Optional<String> openQuestion = java.util.Optional.empty();

    @Override
    public void onOpenLine(String text) {
        if (started.structured()) {
            return; // a JSON stream's lines are events, never prompts
        }
        java.util.Optional<AgentEvent.NeedsInput> q = dev.controlroom.agent.extract.Parsers.openLineQuestion(text);
        if (q.isPresent() && !openQuestion.equals(java.util.Optional.of(text))) {
            openQuestion = java.util.Optional.of(text);
            handle(List.of(q.get()));
        }
    }

    @Override
    public void onLine(String line) {
        try {
            java.util.Optional<String> asked = openQuestion;
            if (asked.isPresent()) {
                openQuestion = java.util.Optional.empty();
                if (line.startsWith(asked.get())) {
                    handle(parser.onLine(line).stream().filter(e -> !(e instanceof AgentEvent.NeedsInput)).toList());
                    return;
                }
            }
            handle(parser.onLine(line));
        } catch (RuntimeException ex) {
            LOG.log(java.util.logging.Level.WARNING, "the output parser failed on a line of session " + sessionId, ex);
        }
    }

    /** Usage that names no model was used on the one the CLI said it runs on, else the one it was started on. */
    private AgentEvent withModel(AgentEvent e) {
        if (e instanceof AgentEvent.SessionStarted s) {
            streamModel = s.model().or(() -> streamModel);
            s.cliVersion().ifPresent(version -> learned(version, true));
        }
        return e instanceof AgentEvent.Usage u ? u.orModel(streamModel.or(started::model)) : e;
    }

    private void signal(AgentEvent e) {
        switch (e) {
            case AgentEvent.SessionStarted s -> {
                thread = java.util.Optional.of(s.nativeSessionId());
                signals.on(new Signal.NativeSession(s.nativeSessionId()));
            }
            case AgentEvent.NeedsInput q -> signals.on(new Signal.NeedsInput(q.question()));
            case AgentEvent.RateLimited r -> signals.on(new Signal.RateLimited(r.resetAt(), r.detail()));
            case AgentEvent.Usage u -> {
                Signal.Usage reported = new Signal.Usage(u.inputTokens(), u.outputTokens(), u.cacheReadTokens(), u.cacheWriteTokens(), u.model());
                signals.on(threads.isPresent() && thread.isPresent() ? threads.get().turn(thread.get(), reported) : reported);
            }
            case AgentEvent.Error err -> signals.on(new Signal.Error(err.message(), err.fingerprint(), err.httpStatus()));
            case AgentEvent.ProviderRetry r -> signals.on(new Signal.ProviderRetry(r.status(), r.delayMs().map(java.time.Duration::ofMillis),
                    r.detail()));
            case AgentEvent.TurnEnd t -> signals.on(new Signal.TurnEnd(t.isError(), t.result()));
            default -> { }
        }
    }

    /** Questions and rate limits are stored by the engine with its decision; everything else is stored here. */
    private void store(AgentEvent e) {
        if (e instanceof AgentEvent.NeedsInput || e instanceof AgentEvent.RateLimited) {
            return;
        }
        ObjectNode payload = JSON.valueToTree(e);
        payload.put("iteration", context.iteration());
        String message = switch (e) {
            case AgentEvent.SessionStarted s -> "agent session " + s.nativeSessionId() + s.model().map(m -> " on " + m).orElse("");
            case AgentEvent.Message m -> clip(m.text());
            case AgentEvent.ToolCall t -> t.tool() + " " + clip(t.inputJson());
            case AgentEvent.ToolResult r -> (r.isError() ? "failed: " : "") + clip(r.output());
            case AgentEvent.FileChange f -> f.kind() + " " + f.path();
            case AgentEvent.Usage u -> u.inputTokens() + " input, " + u.outputTokens() + " output, " + u.cacheReadTokens()
                    + " cache read, " + u.cacheWriteTokens() + " cache write tokens" + u.model().map(m -> " (" + m + ")").orElse("");
            case AgentEvent.TurnEnd t -> (t.isError() ? "turn failed" : "turn ended") + t.result().map(r -> ": " + clip(r)).orElse("");
            case AgentEvent.Error err -> clip(err.message());
            case AgentEvent.ProviderRetry r -> clip(r.detail());
            case AgentEvent.TestResult r -> r.framework() + ": " + r.passed() + " passed, " + r.failed() + " failed, " + r.skipped() + " skipped";
            default -> e.type().label();
        };
        Severity severity = switch (e) {
            case AgentEvent.Error err -> Severity.ERROR;
            case AgentEvent.ProviderRetry r -> Severity.WARNING;
            case AgentEvent.TurnEnd t when t.isError() -> Severity.ERROR;
            case AgentEvent.TestResult r when r.failed() > 0 -> Severity.WARNING;
            case AgentEvent.Message m -> Severity.DEBUG;
            case AgentEvent.ToolResult r -> Severity.DEBUG;
            default -> Severity.INFO;
        };
        events.accept(Event.draft(e.type(), severity, message).withRun(context.runId()).withTask(context.taskId())
                .withAgent(context.agentId()).withSession(sessionId).withPayload(payload.toString()));
    }

    private static String clip(String text) {
        return text.length() <= TEXT_LIMIT ? text : text.substring(0, TEXT_LIMIT) + "…";
    }
}
