package dev.controlroom.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.controlroom.domain.Agent;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.IllegalTransitionException;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.orchestrator.ControlException;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.Store;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * {@code ws://127.0.0.1:PORT/ws}: seed 003's live frames, mapped from the stored events, and its
 * client messages, carried out by the same engine controls as the window's buttons.
 *
 * <p>Each connection has one writer thread that sends everything (frames, acks, errors) in order,
 * and follows the event log through the {@link EventFeed} the SSE stream uses too: the engine only
 * offers to its bounded queue, and a client that falls behind gets an {@code overflow} frame and is
 * closed (close code 1013), as is one that takes no frame for {@link #SEND_TIMEOUT_MILLIS}. Client
 * messages are read on Jetty's threads and handed to the writer, so a subscription takes effect
 * between two frames and its ack comes before the first frame it brings.
 */
final class LiveSocket {
    private static final Logger LOG = Logger.getLogger(LiveSocket.class.getName());
    static final int MAX_CLIENTS = 32;
    /** The close code of a client that fell behind: "try again later", with its last event id in the overflow frame. */
    static final int CLOSE_BEHIND = 1013;
    /** A client with this many messages not yet answered is sending faster than it reads. */
    private static final int INBOX = 64;
    /** How long the writer waits for news before it looks at the subscribed sessions' output again. */
    private static final long POLL_MILLIS = 250;
    /** A frame the client has not taken within this long: it is not reading, and is closed. */
    private static final long SEND_TIMEOUT_MILLIS = 30_000;
    private static final int LOG_PAGE = 200;
    private static final String LOGS = "logs:";

    /** The channels a client subscribes to by name; {@code logs:<session id>} besides. */
    enum Channel {
        EVENTS, TASKS, AGENTS, ITERATIONS, WAVES;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Optional<Channel> of(String id) {
            return Arrays.stream(values()).filter(c -> c.id().equals(id)).findFirst();
        }
    }

    private final EventFeed feed;
    private final Store store;
    private final Orchestrator engine;
    private final ApiToken token;
    private final TaskService tasks;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicLong threads = new AtomicLong();
    private volatile boolean closed;

    LiveSocket(EventFeed feed, Store store, Orchestrator engine, ApiToken token) {
        this.feed = feed;
        this.store = store;
        this.engine = engine;
        this.token = token;
        this.tasks = new TaskService(store, engine);
    }

    void configure(WsConfig ws) {
        ws.onConnect(this::open);
        ws.onMessage(ctx -> Optional.ofNullable(connections.get(ctx.sessionId())).ifPresent(c -> c.receive(ctx.message())));
        ws.onClose(ctx -> end(ctx));
        ws.onError(ctx -> end(ctx));
    }

    /** Closes every connection (the server is stopping). */
    void close() {
        closed = true;
        connections.values().forEach(c -> c.session.close(1001, "the server is stopping", Callback.NOOP));
    }

    int clients() {
        return connections.size();
    }

    private void open(WsConnectContext ctx) {
        if (closed || connections.size() >= MAX_CLIENTS) {
            ctx.closeSession(1013, closed ? "the server is stopping" : "at most " + MAX_CLIENTS + " WebSocket clients at once");
            return;
        }
        // A quiet run sends nothing for minutes; pings keep Jetty's idle timeout from closing a client that only listens.
        ctx.enableAutomaticPings(15, TimeUnit.SECONDS);
        String presented = ctx.attribute(LoopbackGuard.PRESENTED);
        Connection c = new Connection(ctx.session, feed.follow(feed.latest()), presented);
        connections.put(ctx.sessionId(), c);
        Thread.ofVirtual().name("api-ws-" + threads.incrementAndGet()).start(c::write);
    }

    private void end(WsContext ctx) {
        Optional.ofNullable(connections.remove(ctx.sessionId())).ifPresent(Connection::end);
    }

    /** What every server frame is: {@code {type, data, id?}}, {@code id} the stored event it comes from. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record Frame(String type, Object data, Optional<Long> id) {
    }

    /** The answer to a client message: {@code ack} or {@code error}, with the message's {@code ref}. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record Reply(String type, JsonNode ref, Optional<String> detail, Optional<Object> data) {
    }

    record AgentStatus(long agentId, String name, String status, Optional<Long> taskId) {
    }

    record IterationStarted(String sessionId, int iteration, Optional<String> runId, Optional<Long> taskId) {
    }

    record IterationCompleted(String sessionId, int iteration, String qaResult, Optional<String> runId, Optional<Long> taskId) {
    }

    record WaveChange(String runId, int waveNumber, Optional<Boolean> succeeded) {
    }

    record LogLine(String sessionId, int iteration, long lineNumber, String line) {
    }

    /** How often an open connection checks that the token it was opened with is still the API's (it may have been rotated). */
    private static final long TOKEN_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The client went away, or stopped reading. */
    private static final class Gone extends Exception {
        Gone(String why) {
            super(why, null, false, false);
        }
    }

    /** The client fell behind the event log while a frame to it was still on its way. */
    private static final class Behind extends Exception {
        Behind() {
            super(null, null, false, false);
        }
    }

    /** Work the writer does between two frames: a reply to send, a subscription to change. */
    private interface Step {
        void run() throws Gone, Behind;
    }

    private final class Connection {
        final Session session;
        final EventFeed.Follower follower;
        /** The token the connection was opened with; never logged. */
        private final String presented;
        private long tokenCheckedAt = System.nanoTime();
        final BlockingQueue<Step> inbox = new ArrayBlockingQueue<>(INBOX);
        // Read and changed by the writer only (subscriptions arrive as steps).
        final Set<Channel> channels = java.util.EnumSet.noneOf(Channel.class);
        final Map<String, Long> logs = new LinkedHashMap<>();
        volatile boolean ended;

        Connection(Session session, EventFeed.Follower follower, String presented) {
            this.session = session;
            this.follower = follower;
            this.presented = presented;
        }

        void end() {
            ended = true;
            follower.wake();
        }

        // ---- the writer

        void write() {
            try {
                while (!ended && !closed) {
                    try {
                        if (follower.behind()) {
                            throw new Behind();
                        }
                        tokenStillValid();
                        for (Step s; (s = inbox.poll()) != null; ) {
                            s.run();
                        }
                        for (Event e : follower.next(POLL_MILLIS)) {
                            for (Frame f : frames(e)) {
                                send(ApiJson.write(f));
                            }
                        }
                        sendLogs();
                    } catch (Behind behind) {
                        overflow();
                        return;
                    }
                }
            } catch (Gone gone) {
                session.close(1008, gone.getMessage(), Callback.NOOP);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a WebSocket client's writer failed; the client is closed", e);
                session.close(1011, "internal error: " + e.getMessage(), Callback.NOOP);
            } finally {
                follower.close();
            }
        }

        /** A rotated token ends the connections opened with the old one, as it ends their HTTP requests. */
        void tokenStillValid() throws Gone {
            if (System.nanoTime() - tokenCheckedAt < TOKEN_CHECK_NANOS) {
                return;
            }
            tokenCheckedAt = System.nanoTime();
            if (!token.matches(presented)) {
                throw new Gone("the API token this connection was opened with has been rotated; reconnect with the new one");
            }
        }

        /** Sends one frame and waits until it is written; a client that falls behind or stops reading meanwhile ends the wait. */
        void send(String text) throws Gone, Behind {
            Callback.Completable written = new Callback.Completable();
            session.sendText(text, written);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SEND_TIMEOUT_MILLIS);
            while (true) {
                try {
                    written.get(100, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException waiting) {
                    if (follower.behind()) {
                        throw new Behind();
                    }
                    if (ended || System.nanoTime() > deadline) {
                        throw new Gone("the client took no frame for " + SEND_TIMEOUT_MILLIS / 1000 + " s");
                    }
                } catch (ExecutionException e) {
                    throw new Gone("the connection broke: " + e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Gone("the server is stopping");
                }
            }
        }

        /** The last frame: why, and where to continue. Not waited for: the client may not be reading at all. */
        void overflow() {
            String detail = "this client fell more than " + feed.queueSize() + " events behind and is closed; reconnect and subscribe with since "
                    + follower.last() + " to read the rest from the log";
            session.sendText(ApiJson.write(new Frame("overflow", Map.of("detail", detail, "last_event_id", follower.last()), Optional.empty())),
                    Callback.NOOP);
            session.close(CLOSE_BEHIND, "fell behind", Callback.NOOP);
            LOG.info("a WebSocket client fell " + feed.queueSize() + " events behind and was closed");
        }

        /** The subscribed sessions' output lines stored since the last look, a page per session at a time. */
        void sendLogs() throws Gone, Behind {
            for (Map.Entry<String, Long> log : logs.entrySet()) {
                List<String> lines = store.output().lines(log.getKey(), log.getValue(), LOG_PAGE);
                if (lines.isEmpty()) {
                    continue;
                }
                int iteration = store.runs().iterations(log.getKey()).stream().mapToInt(i -> i.number()).max().orElse(1);
                long number = log.getValue();
                for (String line : lines) {
                    send(ApiJson.write(new Frame("iteration:log", new LogLine(log.getKey(), iteration, number++, line), Optional.empty())));
                }
                log.setValue(number);
            }
        }

        /** The frames a stored event makes for this client's channels, in a fixed order, each with the event's id. */
        List<Frame> frames(Event e) {
            List<Frame> out = new ArrayList<>();
            Optional<Long> id = Optional.of(e.id());
            EventType type = e.type();
            if (channels.contains(Channel.AGENTS) && e.agentId().isPresent()
                    && (type.isTaskLevel() || type == EventType.AGENT_STUCK || type == EventType.AGENT_NUDGED)) {
                store.agents().find(e.agentId().get()).ifPresent(a ->
                        out.add(new Frame("agent:status", new AgentStatus(a.id(), a.name(), a.status().id(), e.taskId()), id)));
            }
            if (channels.contains(Channel.TASKS) && type.isTaskLevel() && e.taskId().isPresent()) {
                tasks.find(e.taskId().get()).ifPresent(t -> out.add(new Frame("task:updated", t, id)));
            }
            if (channels.contains(Channel.ITERATIONS) && e.sessionId().isPresent()) {
                String session = e.sessionId().get();
                switch (type) {
                    case TASK_STARTED -> out.add(new Frame("iteration:started", new IterationStarted(session, 1, e.runId(), e.taskId()), id));
                    case ITERATION_STARTED -> out.add(new Frame("iteration:started",
                            new IterationStarted(session, payload(e).path("iteration").asInt(), e.runId(), e.taskId()), id));
                    case QA_VERDICT -> out.add(new Frame("iteration:completed", new IterationCompleted(session, payload(e).path("iteration").asInt(),
                            payload(e).path("passed").asBoolean() ? "passed" : "failed", e.runId(), e.taskId()), id));
                    default -> {
                    }
                }
            }
            if (channels.contains(Channel.WAVES) && e.runId().isPresent()) {
                switch (type) {
                    case WAVE_STARTED -> out.add(new Frame("wave:started",
                            new WaveChange(e.runId().get(), payload(e).path("wave").asInt(), Optional.empty()), id));
                    case WAVE_FINISHED -> out.add(new Frame("wave:completed",
                            new WaveChange(e.runId().get(), payload(e).path("wave").asInt(), Optional.of(payload(e).path("succeeded").asBoolean())), id));
                    default -> {
                    }
                }
            }
            if (channels.contains(Channel.EVENTS)) {
                out.add(new Frame("event:new", Views.EventView.of(e), id));
            }
            return out;
        }

        // ---- client messages, on Jetty's threads

        void receive(String text) {
            JsonNode ref = null;
            try {
                ObjectNode message = message(text);
                ref = message.get("ref");
                JsonNode replyTo = ref;
                String type = Requests.requiredText(message, "type");
                switch (type) {
                    case "subscribe" -> subscribe(message, replyTo);
                    case "unsubscribe" -> unsubscribe(message, replyTo);
                    case "task:assign" -> answerWhenDone(replyTo, assign(message));
                    case "session:terminate" -> answerWhenDone(replyTo, engine.terminateSession(session(Requests.requiredText(message, "session_id")).id()));
                    case "qa:trigger" -> answerWhenDone(replyTo, verify(message).thenApply(passed -> Map.of("passed", passed)));
                    default -> throw Problem.badField("type", "unknown message type '" + type
                            + "'; known: subscribe, unsubscribe, task:assign, session:terminate, qa:trigger");
                }
            } catch (Problem p) {
                reply(error(ref, p.getMessage()));
            }
        }

        private ObjectNode message(String text) {
            JsonNode node;
            try {
                node = ApiJson.MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw Problem.badRequest("the message is not valid JSON: " + e.getOriginalMessage());
            }
            if (!(node instanceof ObjectNode o)) {
                throw Problem.badRequest("a message must be a JSON object with a type, not " + (node == null ? "nothing" : Requests.kind(node)));
            }
            return o;
        }

        /** {@code {channels: [...], since?}}: checked whole here, then applied by the writer between two frames and acked there. */
        private void subscribe(ObjectNode message, JsonNode ref) {
            List<String> names = channelNames(message);
            Optional<Long> since = Requests.number(message, "since");
            if (since.isPresent() && since.get() < 0) {
                throw Problem.badField("since", "since is an event id (0 for the whole log), was " + since.get());
            }
            Set<Channel> add = java.util.EnumSet.noneOf(Channel.class);
            List<String> sessions = new ArrayList<>();
            for (String name : names) {
                if (name.startsWith(LOGS)) {
                    sessions.add(session(name.substring(LOGS.length())).id());
                } else {
                    add.add(Channel.of(name).orElseThrow(() -> unknownChannel(name)));
                }
            }
            step(() -> {
                channels.addAll(add);
                sessions.forEach(s -> logs.putIfAbsent(s, 0L));
                since.ifPresent(follower::rewind);
                send(ApiJson.write(ack(ref, Optional.empty())));
            });
        }

        private void unsubscribe(ObjectNode message, JsonNode ref) {
            List<String> names = channelNames(message);
            for (String name : names) {
                if (!name.startsWith(LOGS) && Channel.of(name).isEmpty()) {
                    throw unknownChannel(name);
                }
            }
            step(() -> {
                for (String name : names) {
                    if (name.startsWith(LOGS)) {
                        logs.remove(name.substring(LOGS.length()));
                    } else {
                        channels.remove(Channel.of(name).orElseThrow());
                    }
                }
                send(ApiJson.write(ack(ref, Optional.empty())));
            });
        }

        private List<String> channelNames(ObjectNode message) {
            if (!(message.get("channels") instanceof ArrayNode array) || array.isEmpty()) {
                throw Problem.badField("channels", "channels must be a non-empty list of channel names");
            }
            List<String> names = new ArrayList<>();
            for (JsonNode n : array) {
                if (!n.isTextual()) {
                    throw Problem.badField("channels", "a channel is named by a string, not " + Requests.kind(n));
                }
                names.add(n.asText());
            }
            return names;
        }

        private Problem unknownChannel(String name) {
            return Problem.badField("channels", "unknown channel '" + name + "'; known: "
                    + Arrays.stream(Channel.values()).map(Channel::id).collect(Collectors.joining(", ")) + ", logs:<session id>");
        }

        /** {@code {task_id, agent_id}} (or {@code agent}, a name): the task in its list's newest run is pointed at the agent. */
        private CompletableFuture<?> assign(ObjectNode message) {
            long taskId = Requests.number(message, "task_id").orElseThrow(() -> Problem.badField("task_id", "task_id is required"));
            StoredTask task = store.plans().task(taskId).orElseThrow(() -> Problem.badField("task_id", "no task with id " + taskId));
            Optional<Long> agentId = Requests.number(message, "agent_id");
            Agent agent = agentId.isPresent()
                    ? store.agents().find(agentId.get()).orElseThrow(() -> Problem.badField("agent_id", "no agent with id " + agentId.get()))
                    : Requests.text(message, "agent").map(name -> store.agents().findByName(name)
                            .orElseThrow(() -> Problem.badField("agent", "no agent named '" + name + "'")))
                    .orElseThrow(() -> Problem.badField("agent_id", "agent_id (or agent, a name) is required"));
            RunSummary run = store.runs().latestOf(task.planId())
                    .orElseThrow(() -> Problem.conflict("task " + task.key() + " has not run yet: start a run of its task list first"));
            return engine.reassignTask(run.id(), task.key(), agent.name());
        }

        /** {@code {iteration_id: "<session id>:<n>"}} or {@code {task_id}}: the task's verification commands run again. */
        private CompletableFuture<Boolean> verify(ObjectNode message) {
            Optional<String> iteration = Requests.text(message, "iteration_id");
            if (iteration.isPresent()) {
                String id = iteration.get();
                int colon = id.lastIndexOf(':');
                if (colon <= 0) {
                    throw Problem.badField("iteration_id", "an iteration id is <session id>:<number>, not '" + id + "'");
                }
                SessionRecord s = session(id.substring(0, colon));
                StoredTask task = store.plans().task(s.taskId()).orElseThrow(() -> Problem.notFound("no task with id " + s.taskId()));
                return engine.verifyTask(s.runId(), task.key());
            }
            long taskId = Requests.number(message, "task_id")
                    .orElseThrow(() -> Problem.badField("iteration_id", "iteration_id (or task_id) is required"));
            StoredTask task = store.plans().task(taskId).orElseThrow(() -> Problem.badField("task_id", "no task with id " + taskId));
            RunSummary run = store.runs().latestOf(task.planId())
                    .orElseThrow(() -> Problem.conflict("task " + task.key() + " has not run yet: start a run of its task list first"));
            return engine.verifyTask(run.id(), task.key());
        }

        private SessionRecord session(String id) {
            return store.runs().session(id).orElseThrow(() -> Problem.badField("session_id", "no session with id " + id));
        }

        /** Answers once the engine has: the ack, or the engine's own words for a move it refuses. Runs on whichever thread completes it. */
        private void answerWhenDone(JsonNode ref, CompletableFuture<?> control) {
            control.whenComplete((value, failure) -> {
                if (failure == null) {
                    reply(ack(ref, value instanceof Map<?, ?> m ? Optional.of(m) : Optional.empty()));
                    return;
                }
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                if (!(cause instanceof ControlException || cause instanceof IllegalTransitionException)) {
                    LOG.log(Level.WARNING, "a WebSocket control failed inside Control Room", cause);
                }
                reply(error(ref, cause.getMessage()));
            });
        }

        private void reply(Reply r) {
            String text = ApiJson.write(r);
            step(() -> send(text));
        }

        /** Hands work to the writer; a client with {@link #INBOX} messages unanswered is not reading its answers and is closed. */
        private void step(Step s) {
            if (!inbox.offer(s)) {
                session.close(1008, "more than " + INBOX + " messages not yet answered", Callback.NOOP);
                end();
                return;
            }
            follower.wake();
        }

        private static Reply ack(JsonNode ref, Optional<Object> data) {
            return new Reply("ack", ref, Optional.empty(), data);
        }

        private static Reply error(JsonNode ref, String detail) {
            return new Reply("error", ref, Optional.of(detail), Optional.empty());
        }
    }

    private static JsonNode payload(Event e) {
        try {
            return ApiJson.MAPPER.readTree(e.payload());
        } catch (JsonProcessingException bad) {
            return ApiJson.MAPPER.createObjectNode();
        }
    }
}
