package dev.controlroom.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client ({@code java.net.http}) on the API's {@code /ws}, keeping every frame it reads in order. */
final class WsClient implements AutoCloseable {
    final WebSocket socket;
    final BlockingQueue<JsonNode> frames;
    /** The close code and reason the server sent, once it closed. */
    final CompletableFuture<String> closed;

    private WsClient(WebSocket socket, Listener listener) {
        this.socket = socket;
        this.frames = listener.frames;
        this.closed = listener.closed;
    }

    /** Connects with the token as a bearer header; {@code reading} false takes no frame until {@link #startReading()}. */
    static WsClient connect(ApiHarness api, boolean reading) throws Exception {
        return connect(api, "/ws", reading, b -> b.header("Authorization", "Bearer " + api.token));
    }

    static WsClient connect(ApiHarness api, String path, boolean reading, java.util.function.Consumer<WebSocket.Builder> setup) throws Exception {
        Listener listener = new Listener(reading);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        setup.accept(builder);
        WebSocket socket = builder.buildAsync(URI.create("ws://" + ApiServer.HOST + ":" + api.api.port() + path), listener)
                .get(20, TimeUnit.SECONDS);
        return new WsClient(socket, listener);
    }

    void startReading() {
        socket.request(Long.MAX_VALUE);
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    /** The next frame, failing after 30 s. */
    JsonNode next() throws InterruptedException {
        JsonNode f = frames.poll(30, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no frame within 30 s");
        }
        return f;
    }

    /** Frames up to and including the first that matches; all of them, in order. */
    List<JsonNode> until(Predicate<JsonNode> last) throws InterruptedException {
        List<JsonNode> read = new ArrayList<>();
        while (true) {
            JsonNode f = next();
            read.add(f);
            if (last.test(f)) {
                return read;
            }
        }
    }

    /** The next frame that answers the message with {@code ref}. */
    JsonNode answerTo(String ref) throws InterruptedException {
        return until(f -> ref.equals(f.path("ref").asText(null))).getLast();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private static final class Listener implements WebSocket.Listener {
        private final boolean reading;
        private final StringBuilder partial = new StringBuilder();
        final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        Listener(boolean reading) {
            this.reading = reading;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(Long.MAX_VALUE);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(ApiJson.MAPPER.readTree(partial.toString()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                partial.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
