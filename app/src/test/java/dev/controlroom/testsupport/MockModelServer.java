package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A loopback HTTP server that plays a {@link Script}: the lifecycle, request recording, retry
 * counting and hanging that both wire formats share. Each request runs on its own virtual thread,
 * so a hanging request never blocks the others; {@link #close()} releases the hanging ones first.
 */
public abstract class MockModelServer implements AutoCloseable {
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final ExecutorService handlers;
    private final Script script;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    private final Map<Integer, AtomicInteger> attemptsByTurn = new ConcurrentHashMap<>();

    /** A request body as received, and whether it belonged to the scripted conversation. */
    protected record Recorded(JsonNode body, boolean conversation) {
    }

    protected MockModelServer(String name, Script script) throws IOException {
        this.script = script;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-", 1).factory());
        http.setExecutor(handlers);
        http.createContext("/", this::dispatch);
        http.start();
    }

    /** Answers one exchange; the exchange is closed afterwards whatever happens. */
    protected abstract void handle(HttpExchange exchange) throws IOException;

    /** The error body of this API, for failures of the mock itself (no such turn, bad JSON). */
    protected abstract ObjectNode errorBody(String type, String message);

    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}, without a path. */
    public URI origin() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Every model request body received, in arrival order, auxiliary ones included. */
    public List<JsonNode> requests() {
        return recorded.stream().map(Recorded::body).toList();
    }

    /** The requests that played a scripted turn. */
    public List<JsonNode> conversationRequests() {
        return recorded.stream().filter(Recorded::conversation).map(Recorded::body).toList();
    }

    /** Waits until at least {@code count} conversation requests have arrived. */
    public void awaitConversationRequests(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (conversationRequests().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " conversation requests within " + timeout
                        + ", got " + conversationRequests().size());
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        http.stop(0);
        handlers.shutdownNow();
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    protected void record(JsonNode body, boolean conversation) {
        recorded.add(new Recorded(body, conversation));
    }

    /**
     * The turn for this history position, attempts resolved: the CLI retrying the same request gets
     * the next attempt. Empty when the script has no such turn.
     */
    protected Optional<Turn> turn(int index) {
        return script.turn(index).map(turn -> turn instanceof Turn.Attempts attempts
                ? attempts.attempt(attemptsByTurn.computeIfAbsent(index, i -> new AtomicInteger()).getAndIncrement())
                : turn);
    }

    /** Blocks until the server closes, then lets the exchange be closed unanswered. */
    protected void hang() {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    protected static JsonNode readJson(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        try (InputStream body = in) {
            return JSON.readTree(body);
        }
    }

    protected static void sendJson(HttpExchange exchange, int status, JsonNode body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    protected static void sendEmpty(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    protected void sendError(HttpExchange exchange, int status, String type, String message) throws IOException {
        sendJson(exchange, status, errorBody(type, message), Map.of());
    }

    /** Streamed pieces come in two deltas, so the CLI has to join them as it does with the real APIs. */
    protected static List<String> halves(String text) {
        int middle = text.length() / 2;
        return List.of(text.substring(0, middle), text.substring(middle));
    }

    /**
     * How each CLI tells the model its working directory: Claude Code ("Primary working directory:"),
     * OpenCode ("Working directory:"), Qwen Code ("I'm currently working in the directory:"), Gemini
     * CLI (the first of its "Workspace Directories"). Read from the request as JSON text.
     */
    private static final java.util.regex.Pattern CWD = java.util.regex.Pattern.compile(
            "(?:[Pp]rimary working directory:|Working directory:|working in the directory:|Workspace Directories:\\*\\*\\\\n\\s*-)"
                    + "\\s*([^\\s\\\\\"<]+)");

    /**
     * A tool input may say {@code ${cwd}} where the scripted turn cannot know the path in advance
     * (a task's worktree is named after its run): it becomes the working directory the CLI reported.
     * A value that is a {@link java.util.function.Supplier} is what it supplies when the turn is played
     * (an id the test learns after the server started).
     */
    protected static Turn.Reply withWorkingDirectory(JsonNode request, Turn.Reply reply) {
        java.util.regex.Matcher m = CWD.matcher(request.toString());
        String cwd = m.find() ? m.group(1) : null;
        List<Turn.Block> blocks = new java.util.ArrayList<>();
        for (Turn.Block b : reply.blocks()) {
            if (b instanceof Turn.ToolCall call) {
                Map<String, Object> input = new java.util.LinkedHashMap<>();
                call.input().forEach((k, v) -> input.put(k, switch (v) {
                    case String str when cwd != null -> str.replace("${cwd}", cwd);
                    case java.util.function.Supplier<?> later -> later.get();
                    default -> v;
                }));
                blocks.add(new Turn.ToolCall(call.name(), input));
            } else {
                blocks.add(b);
            }
        }
        return new Turn.Reply(blocks, reply.usage());
    }

    /** A server-sent event stream: {@code event: NAME} and one {@code data:} JSON line per event. */
    /** How the current request's reply is paced, while a {@link Turn.Paced} turn is answered. */
    private static final ThreadLocal<Turn.Paced> PACE = new ThreadLocal<>();

    /** Answers a paced turn: its reply goes out through {@code answer}, slowly or stalling. */
    protected void paced(Turn.Paced paced, IoAction answer) throws IOException {
        PACE.set(paced);
        STALL.set(this::hang);
        try {
            answer.run(paced.reply());
        } finally {
            PACE.remove();
            STALL.remove();
        }
    }

    @FunctionalInterface
    protected interface IoAction {
        void run(Turn.Reply reply) throws IOException;
    }

    private static final ThreadLocal<Runnable> STALL = new ThreadLocal<>();

    protected static final class EventStream {
        private final OutputStream out;
        private int sent;

        EventStream(HttpExchange exchange) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            this.out = exchange.getResponseBody();
        }

        void send(String event, JsonNode data) throws IOException {
            write("event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n");
        }

        /** An unnamed event, {@code data: TEXT} alone: how the Gemini and chat completions APIs stream. */
        void data(String text) throws IOException {
            write("data: " + text + "\n\n");
        }

        private void write(String frame) throws IOException {
            Turn.Paced pace = PACE.get();
            if (pace != null) {
                if (pace.stallAfter() >= 0 && sent >= pace.stallAfter()) {
                    STALL.get().run();
                    throw new IOException("the stalled stream ended with the server");
                }
                try {
                    Thread.sleep(pace.perEvent());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            sent++;
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void data(JsonNode value) throws IOException {
            data(JSON.writeValueAsString(value));
        }

        void end() throws IOException {
            out.close();
        }
    }

    private void dispatch(HttpExchange exchange) {
        try (exchange) {
            handle(exchange);
        } catch (IOException e) {
            // The client went away mid-answer (a killed CLI, a timeout on its side): nothing to answer.
        } catch (RuntimeException e) {
            // A bug in the mock: say so to the CLI, whose output the failing test then shows.
            try {
                sendError(exchange, 500, "api_error", "mock server failure: " + e);
            } catch (IOException | RuntimeException ignored) {
                // Headers were already sent; the broken stream is the answer.
            }
        }
    }
}
