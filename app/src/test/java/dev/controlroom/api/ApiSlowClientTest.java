package dev.controlroom.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebSocket client that stops reading: its frames back up to the server (the client's receive
 * buffer is kept small, and more is queued for it than the kernel's buffers hold), its writer waits,
 * and the engine's next run overflows its small event queue. The run still finishes on time; the
 * client, once it reads again, finds what it had, then an {@code overflow} frame and a 1013 close.
 */
class ApiSlowClientTest {
    @TempDir
    Path dir;

    /** 12 MB of output in 3,000 lines: more than the kernel's socket buffers (4 MB send, a few KB receive) hold. */
    private static final String LOUD = """
            name: loud
            tasks:
              - id: loud
                command: head -c 12000000 /dev/zero | tr '\\0' x | fold -w 4000
            """;
    private static final String QUICK = """
            name: quick
            tasks:
              - id: one
                command: echo one
              - id: two
                command: echo two
              - id: three
                command: echo three
                depends_on: [one, two]
            """;

    @Test
    void aClientThatStopsReadingIsToldItFellBehindAndClosedWhileTheEngineRunsOnTime() throws Exception {
        try (ApiHarness api = new ApiHarness(dir, 4)) {
            JsonNode loud = api.runToEnd(api.importPlan(LOUD));
            assertEquals("succeeded", loud.get("status").asText(), loud.toString());
            String session = ApiHarness.json(api.get("/api/sessions?run_id=" + loud.get("id").asText())).get("sessions").get(0).get("id").asText();
            assertTrue(api.room.store().output().lineCount(session) >= 3000, "the session's 12 MB of output are stored");
            long quick = api.importPlan(QUICK);

            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(4096);
                socket.connect(new java.net.InetSocketAddress(ApiServer.HOST, api.api.port()), 5000);
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + api.api.port() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer " + api.token
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertTrue(head(in).startsWith("HTTP/1.1 101"), "upgraded");
                sendText(out, "{\"type\": \"subscribe\", \"ref\": \"s\", \"channels\": [\"events\", \"logs:" + session + "\"]}");

                // The client reads nothing now: the server's writer fills the socket's buffers with the log and waits.
                Thread.sleep(2000);
                long started = System.nanoTime();
                JsonNode run = api.runToEnd(quick);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertEquals("succeeded", run.get("status").asText());
                assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "the engine's run took " + took + " beside a client that reads nothing");

                List<JsonNode> frames = new ArrayList<>();
                int close = readUntilClose(in, frames);
                JsonNode last = frames.getLast();
                assertEquals("overflow", last.get("type").asText(), "the last frame says why: " + last);
                assertTrue(last.get("data").get("detail").asText().contains("fell more than 4 events behind"), last.toString());
                assertTrue(last.get("data").hasNonNull("last_event_id"));
                assertEquals(LiveSocket.CLOSE_BEHIND, close);
                assertEquals("ack", frames.getFirst().get("type").asText());
                assertTrue(frames.stream().anyMatch(f -> f.get("type").asText().equals("iteration:log")), "it had been sent the log");
            }
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed during the handshake: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** A client's text frame: masked (with a zero key, which leaves the bytes as they are). */
    private static void sendText(OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        out.write(0x81);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xff);
        }
        out.write(new byte[4]);
        out.write(payload);
        out.flush();
    }

    /** Reads the server's frames (text, joined from fragments) until its close frame; returns the close code. */
    private static int readUntilClose(DataInputStream in, List<JsonNode> frames) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        try {
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                int opcode = b0 & 0x0f;
                if (opcode == 8) {
                    return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                }
                if (opcode == 1 || opcode == 0) {
                    message.write(payload);
                    if ((b0 & 0x80) != 0) {
                        frames.add(ApiJson.MAPPER.readTree(message.toString(StandardCharsets.UTF_8)));
                        message.reset();
                    }
                }
            }
        } catch (EOFException | SocketException ended) {
            throw new AssertionError("the server ended the connection without a close frame after " + frames.size() + " frames", ended);
        }
    }
}
