package dev.controlroom.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Runs before every route: the API can start processes on this machine, so a request must name this
 * listener by a loopback {@code Host} with its port (a DNS-rebinding page names its own host), carry
 * no foreign {@code Origin} (a cross-site page in a browser), and present the token. No CORS headers
 * are ever sent, so a browser keeps other sites' scripts from reading any answer.
 */
final class LoopbackGuard implements Handler {
    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");

    /** The {@code Sec-WebSocket-Protocol} value that carries the token from a browser, which cannot set headers on a WebSocket. */
    static final String PROTOCOL_PREFIX = "bearer.";
    /** The request attribute that holds the token a request was let in with. */
    static final String PRESENTED = "control-room.token";

    private final ApiToken token;
    private final boolean browserSocket;

    private LoopbackGuard(ApiToken token, boolean browserSocket) {
        this.token = token;
        this.browserSocket = browserSocket;
    }

    /** The HTTP routes' guard: the token in the {@code Authorization} header only. */
    static LoopbackGuard http(ApiToken token) {
        return new LoopbackGuard(token, false);
    }

    /**
     * The WebSocket's guard, run before the upgrade: as the HTTP routes', and the token also as a
     * {@code Sec-WebSocket-Protocol} value {@code bearer.<token>} or a {@code ?token=} parameter.
     */
    static LoopbackGuard webSocket(ApiToken token) {
        return new LoopbackGuard(token, true);
    }

    @Override
    public void handle(Context ctx) {
        // The port the request came in on is this listener's, even while a port 0 start is still being reported.
        Optional<String> presented = presented(ctx);
        check(ctx.req().getLocalPort(), ctx.header("Host"), ctx.header("Origin"), presented, ctx::header);
        if (browserSocket) {
            // A WebSocket keeps what it was opened with, so it can be closed once that token is rotated away.
            ctx.attribute(PRESENTED, presented.orElseThrow());
        }
    }

    /** The same checks for a mounted servlet (the MCP door): the token in the {@code Authorization} header. */
    void check(int port, String hostHeader, String origin, String authorizationHeader, BiConsumer<String, String> respond) {
        String authorization = Optional.ofNullable(authorizationHeader).orElse("");
        check(port, hostHeader, origin, authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.of(authorization.substring(7).strip()) : Optional.empty(), respond);
    }

    /** The checks on a request's place and token; {@code respond} sets a header of the refusal. */
    private void check(int port, String hostHeader, String origin, Optional<String> presented, BiConsumer<String, String> respond) {
        String host = Optional.ofNullable(hostHeader).orElse("");
        if (!loopback(host, port)) {
            throw Problem.of(403, "Forbidden", "the Host header must name this machine's loopback address and port "
                    + port + " (127.0.0.1:" + port + "), not '" + host + "'");
        }
        if (origin != null && !loopbackOrigin(origin)) {
            throw Problem.of(403, "Forbidden", "requests from the web origin '" + origin + "' are refused: only pages served from "
                    + "this machine's loopback address may call the API");
        }
        if (presented.isEmpty()) {
            respond.accept("WWW-Authenticate", "Bearer realm=\"control-room\"");
            throw Problem.of(401, "Unauthorized", "the request needs the header 'Authorization: Bearer <token>'"
                    + (browserSocket ? " (or, from a browser, the WebSocket protocol '" + PROTOCOL_PREFIX + "<token>' or ?token=<token>)" : "")
                    + "; the token is the single line of the file " + ApiToken.FILE_NAME + " beside the database");
        }
        if (!token.matches(presented.get())) {
            respond.accept("WWW-Authenticate", "Bearer realm=\"control-room\", error=\"invalid_token\"");
            throw Problem.of(401, "Unauthorized", "the bearer token is not this database's API token");
        }
    }

    /** The token the request carries, where this guard looks for one. */
    private Optional<String> presented(Context ctx) {
        String authorization = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).strip());
        }
        if (!browserSocket) {
            return Optional.empty();
        }
        Optional<String> offered = Optional.ofNullable(ctx.header("Sec-WebSocket-Protocol")).stream()
                .flatMap(h -> java.util.Arrays.stream(h.split(","))).map(String::strip)
                .filter(p -> p.startsWith(PROTOCOL_PREFIX)).map(p -> p.substring(PROTOCOL_PREFIX.length())).findFirst();
        return offered.or(() -> Requests.query(ctx, "token"));
    }

    /** {@code 127.0.0.1:PORT}, {@code localhost:PORT} or {@code [::1]:PORT}, exactly this listener's port. */
    static boolean loopback(String host, int port) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon < 0 || h.endsWith("]")) {
            return false;
        }
        return LOOPBACK_NAMES.contains(h.substring(0, colon)) && h.substring(colon + 1).equals(Integer.toString(port));
    }

    /** An origin whose host is a loopback name (a page or tool on this machine); {@code null} origins of sandboxed pages are foreign. */
    static boolean loopbackOrigin(String origin) {
        try {
            URI uri = new URI(origin.strip());
            String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
            String host = Optional.ofNullable(uri.getHost()).orElse("").toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https"))
                    && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
