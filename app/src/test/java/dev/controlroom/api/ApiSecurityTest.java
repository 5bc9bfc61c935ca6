package dev.controlroom.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The API can start processes: only a caller on this machine with the token, from no foreign web page, gets an answer. */
class ApiSecurityTest {
    @TempDir
    static Path dir;
    private static ApiHarness api;

    @BeforeAll
    static void start() throws IOException {
        api = new ApiHarness(dir);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void theRightTokenIsAnswered() throws Exception {
        assertEquals(200, api.get("/api/agents").statusCode());
    }

    @Test
    void aRequestWithoutTokenIsRefusedWith401AndAProblem() throws Exception {
        HttpResponse<String> r = api.send(HttpRequest.newBuilder(api.uri("/api/agents")).GET().build());
        assertEquals(401, r.statusCode());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertEquals(401, ApiHarness.json(r).get("status").asInt());
        assertFalse(r.body().contains(api.token), "the answer never shows the token");
    }

    @Test
    void aWrongTokenIsRefusedWith401() throws Exception {
        HttpResponse<String> r = api.send(HttpRequest.newBuilder(api.uri("/api/agents")).header("Authorization", "Bearer " + "0".repeat(64))
                .GET().build());
        assertEquals(401, r.statusCode());
    }

    @Test
    void anUnknownRouteIsRefusedWithoutTokenToo() throws Exception {
        // Nothing, not even which routes exist, is told to a caller without the token.
        assertEquals(401, api.send(HttpRequest.newBuilder(api.uri("/api/nothing-here")).GET().build()).statusCode());
    }

    @Test
    void aForeignOriginIsRefusedWith403EvenWithTheToken() throws Exception {
        HttpResponse<String> r = api.send(api.request("/api/agents").header("Origin", "https://evil.example").GET().build());
        assertEquals(403, r.statusCode());
        assertTrue(ApiHarness.json(r).get("detail").asText().contains("evil.example"));
        assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "no CORS");
    }

    @Test
    void aLoopbackOriginIsAccepted() throws Exception {
        assertEquals(200, api.send(api.request("/api/agents").header("Origin", "http://localhost:5173").GET().build()).statusCode());
    }

    @Test
    void aHostThatIsNotLoopbackIsRefusedWith403() throws Exception {
        // What a DNS-rebinding page sends: its own name in Host. (The JDK client will not set Host, so a plain socket does.)
        assertEquals(403, rawStatus("GET /api/agents HTTP/1.1\r\nHost: attacker.example:" + api.api.port() + "\r\nAuthorization: Bearer "
                + api.token + "\r\nConnection: close\r\n\r\n"));
        assertEquals(403, rawStatus("GET /api/agents HTTP/1.1\r\nHost: 127.0.0.1:1\r\nAuthorization: Bearer " + api.token
                + "\r\nConnection: close\r\n\r\n"), "the right address with another port is refused too");
        assertEquals(200, rawStatus("GET /api/agents HTTP/1.1\r\nHost: localhost:" + api.api.port() + "\r\nAuthorization: Bearer "
                + api.token + "\r\nConnection: close\r\n\r\n"), "the same request naming loopback is answered");
    }

    private static int rawStatus(String request) throws IOException {
        try (Socket s = new Socket(ApiServer.HOST, api.api.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    @Test
    void theListenerIsNotReachableOnANonLoopbackAddressOfThisMachine() throws Exception {
        List<InetAddress> addresses = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> { try { return i.isUp(); } catch (IOException e) { return false; } })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && (a instanceof Inet4Address || a instanceof Inet6Address))
                .toList();
        if (addresses.isEmpty()) {
            fail("this machine has no non-loopback address to try the listener on; the test cannot show the API is loopback-only here");
        }
        for (InetAddress address : addresses) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, api.api.port()), 2000);
                fail("the API's port " + api.api.port() + " accepted a connection on " + address.getHostAddress());
            } catch (ConnectException | SocketTimeoutException refused) {
                // not listening there: as it must be
            }
        }
        // and the same port does answer on loopback, so the refusals above mean something
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ApiServer.HOST, api.api.port()), 2000);
        }
    }

    @Test
    void theTokenFileIsPrivateAndKeptAcrossStarts() throws Exception {
        Path file = ApiToken.fileBeside(dir.resolve("control-room.db"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(api.token.length() >= 32);
        ApiToken.readOrCreate(dir.resolve("control-room.db"));
        assertEquals(api.token, Files.readString(file).strip());
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413() throws Exception {
        String big = "{\"text\": \"" + "x".repeat((int) ApiServer.MAX_BODY_BYTES) + "\"}";
        HttpResponse<String> r = api.post("/api/plans/validate", big);
        assertEquals(413, r.statusCode());
        assertEquals(413, ApiHarness.json(r).get("status").asInt());
    }

    @Test
    void hostCheckAcceptsOnlyLoopbackNamesWithThePort() {
        assertTrue(LoopbackGuard.loopback("127.0.0.1:3333", 3333));
        assertTrue(LoopbackGuard.loopback("[::1]:3333", 3333));
        assertFalse(LoopbackGuard.loopback("127.0.0.1", 3333));
        assertFalse(LoopbackGuard.loopback("127.0.0.1.evil.example:3333", 3333));
        assertFalse(LoopbackGuard.loopbackOrigin("null"));
        assertTrue(LoopbackGuard.loopbackOrigin("http://127.0.0.1:8080"));
        assertFalse(LoopbackGuard.loopbackOrigin("http://localhost.evil.example"));
    }
}
