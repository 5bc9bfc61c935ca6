package dev.controlroom.api;

import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local API: {@code http://127.0.0.1:PORT/api}, over the same engine controls and store reads
 * as the window and the command line (nothing here changes state any other way). Loopback only,
 * every route behind {@link LoopbackGuard}; no CORS. Built by whoever owns the engine, and closed
 * before it.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ApiServer.class.getName());
    /** The only address the API listens on: reachable from this machine alone. */
    public static final String HOST = "127.0.0.1";
    /** The largest request body accepted (a plan of a few thousand tasks fits); larger is a 413. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;
    static final String OPENAPI_RESOURCE = "/api/openapi.json";

    private final Javalin app;
    private final EventStream stream;
    private final LiveSocket socket;

    private ApiServer(Javalin app, EventStream stream, LiveSocket socket) {
        this.app = app;
        this.stream = stream;
        this.socket = socket;
    }

    /**
     * Starts listening on {@code 127.0.0.1:port} ({@code 0} picks a free port); returns once requests are accepted.
     *
     * @param token the secret every request must present
     */
    public static ApiServer start(Store store, Orchestrator engine, ApiToken token, int port) {
        return start(store, engine, token, port, EventFeed.QUEUE, List.of());
    }

    /** As {@link #start(Store, Orchestrator, ApiToken, int)}, with further doors on the same listener behind the same guard. */
    public static ApiServer start(Store store, Orchestrator engine, ApiToken token, int port, List<ServletMount> mounts) {
        return start(store, engine, token, port, EventFeed.QUEUE, mounts);
    }

    /** As {@link #start(Store, Orchestrator, ApiToken, int)} with each live client's (SSE or WebSocket) queue of {@code liveQueue} events. */
    static ApiServer start(Store store, Orchestrator engine, ApiToken token, int port, int liveQueue) {
        return start(store, engine, token, port, liveQueue, List.of());
    }

    private static ApiServer start(Store store, Orchestrator engine, ApiToken token, int port, int liveQueue, List<ServletMount> mounts) {
        EventFeed feed = new EventFeed(store, liveQueue);
        EventStream stream = new EventStream(feed);
        LiveSocket socket = new LiveSocket(feed, store, engine, token);
        byte[] openapi = openapi();
        Javalin app = Javalin.create(config -> {
            config.jetty.host = HOST;
            config.jetty.port = port;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.router.ignoreTrailingSlashes = true;
            LoopbackGuard guard = LoopbackGuard.http(token);
            config.jetty.modifyServletContextHandler(handler -> mounts.forEach(m -> m.mountOn(handler, guard)));
            var routes = config.routes;
            routes.before(guard);
            routes.before(ApiServer::limitBody);
            routes.exception(Problem.class, (p, ctx) -> Respond.problem(ctx, p));
            routes.exception(HttpResponseException.class, (e, ctx) -> Respond.problem(ctx, problem(e, ctx)));
            routes.exception(Exception.class, (e, ctx) -> {
                LOG.log(Level.WARNING, "the API could not answer " + ctx.method() + " " + ctx.path(), e);
                Respond.problem(ctx, Problem.of(500, "Internal error", "the request failed inside Control Room: " + e.getMessage()));
            });
            routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openapi));
            routes.get("/api/events/stream", stream::handle);
            routes.wsBeforeUpgrade("/ws", LoopbackGuard.webSocket(token));
            routes.ws("/ws", socket::configure);
            new AgentRoutes(store, engine).register(routes);
            new TaskRoutes(store, engine).register(routes);
            new RunRoutes(store, engine).register(routes);
            new EventRoutes(store).register(routes);
            new PlanRoutes(store).register(routes);
        });
        engine.addListener(feed);
        app.start();
        return new ApiServer(app, stream, socket);
    }

    /** The port the API listens on. */
    public int port() {
        return app.port();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String address() {
        return "http://" + HOST + ":" + port();
    }

    /** Every route as "METHOD /path", as the router holds them (what the OpenAPI document must list). */
    java.util.List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream().map(p -> p.endpoint)
                .filter(e -> e.method.isHttpMethod()).map(e -> e.method.name() + " " + e.path).toList();
    }

    /** A body up to this long is read and thrown away before a 413, so the client, still sending it, can read the answer. */
    private static final long DRAINED_BODY_BYTES = 8 * MAX_BODY_BYTES;

    /**
     * A declared length over the limit is refused without keeping a byte of the body. A client that
     * does not wait for {@code 100 Continue} is still sending: the body is read to its end (up to
     * {@link #DRAINED_BODY_BYTES}) so the answer reaches it instead of a reset connection.
     */
    private static void limitBody(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length > MAX_BODY_BYTES) {
            if (length <= DRAINED_BODY_BYTES) {
                try (InputStream in = ctx.req().getInputStream()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // the client gave up sending: the 413 is the answer either way
                }
            }
            ctx.header("Connection", "close");
            throw tooLarge();
        }
    }

    private static Problem tooLarge() {
        return Problem.of(413, "Content too large", "request bodies are limited to " + MAX_BODY_BYTES + " bytes");
    }

    private static Problem problem(HttpResponseException e, Context ctx) {
        if (e instanceof EndpointNotFound) {
            return Problem.notFound("no route " + ctx.method() + " " + ctx.path() + "; see /api/openapi.json");
        }
        if (e.getStatus() == 413) {
            return tooLarge();
        }
        return Problem.of(e.getStatus(), e.getMessage(), e.getMessage());
    }

    private static byte[] openapi() {
        try (InputStream in = ApiServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the API's contract " + OPENAPI_RESOURCE + " is missing from the application");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the event streams and WebSocket clients, then stops accepting and answering requests. */
    @Override
    public void close() {
        stream.close();
        socket.close();
        app.stop();
    }
}
