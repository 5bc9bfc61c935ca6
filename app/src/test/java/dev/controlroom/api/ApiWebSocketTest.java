package dev.controlroom.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.controlroom.domain.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /ws} over the real engine running real shell commands, heard by a real WebSocket client. */
class ApiWebSocketTest {
    @TempDir
    Path dir;

    static final String PLAN = """
            name: live
            tasks:
              - id: a
                command: echo alpha
                verify: ["true"]
              - id: b
                command: echo beta
                depends_on: [a]
                verify: ["true"]
            """;

    private static final String ALL = "[\"events\", \"tasks\", \"agents\", \"iterations\", \"waves\"]";

    private static String type(JsonNode frame) {
        return frame.path("type").asText();
    }

    private static boolean runFinished(JsonNode frame) {
        return type(frame).equals("event:new") && frame.path("data").path("type").asText().equals("run_finished");
    }

    private static List<Long> storedIds(ApiHarness api, long after, long upTo) {
        return api.room.store().events().after(after, 100_000).stream().map(Event::id).filter(id -> id <= upTo).toList();
    }

    @Test
    void aRunsFramesArriveInOrderEachOnceWithEveryStoredEvent() throws Exception {
        try (ApiHarness api = new ApiHarness(dir); WsClient ws = WsClient.connect(api, true)) {
            long list = api.importPlan(PLAN);
            ws.send("{\"type\": \"subscribe\", \"ref\": \"s1\", \"channels\": " + ALL + "}");
            JsonNode ack = ws.next();
            assertEquals("ack", type(ack), ack.toString());
            assertEquals("s1", ack.get("ref").asText());
            long before = api.room.store().events().latest(1).getFirst().id();

            api.runToEnd(list);
            List<JsonNode> frames = ws.until(ApiWebSocketTest::runFinished);

            long last = frames.getLast().get("id").asLong();
            List<Long> heard = frames.stream().filter(f -> type(f).equals("event:new")).map(f -> f.get("id").asLong()).toList();
            assertEquals(storedIds(api, before, last), heard, "every stored event once, in order, as event:new");
            long previous = 0;
            Set<String> seen = new HashSet<>();
            for (JsonNode f : frames) {
                long id = f.get("id").asLong();
                assertTrue(id >= previous, "frames follow the log's order: " + f);
                previous = id;
                assertTrue(seen.add(type(f) + "#" + id + "#" + f.path("data").path("id").asText() + f.path("data").path("agent_id").asText()),
                        "nothing twice: " + f);
            }
            Map<String, List<JsonNode>> byType = new LinkedHashMap<>();
            frames.forEach(f -> byType.computeIfAbsent(type(f), t -> new ArrayList<>()).add(f.get("data")));
            assertEquals(List.of(0, 1), byType.get("wave:started").stream().map(d -> d.get("wave_number").asInt()).toList());
            assertEquals(List.of(0, 1), byType.get("wave:completed").stream().map(d -> d.get("wave_number").asInt()).toList());
            assertTrue(byType.get("wave:completed").stream().allMatch(d -> d.get("succeeded").asBoolean()));
            assertEquals(2, byType.get("iteration:started").size(), byType.toString());
            assertTrue(byType.get("iteration:started").stream().allMatch(d -> d.get("iteration").asInt() == 1 && d.hasNonNull("session_id")));
            assertEquals(List.of("passed", "passed"), byType.get("iteration:completed").stream().map(d -> d.get("qa_result").asText()).toList());
            List<JsonNode> tasks = byType.get("task:updated");
            assertEquals(Set.of("a", "b"), tasks.stream().map(d -> d.get("key").asText()).collect(java.util.stream.Collectors.toSet()));
            assertEquals("succeeded", tasks.getLast().get("status").asText(), "a task:updated frame carries the task as GET /tasks/{id} shows it");
            assertFalse(byType.get("agent:status").isEmpty(), "the agent's status is heard as it takes and finishes work");
            assertTrue(byType.get("agent:status").stream().allMatch(d -> d.hasNonNull("status") && d.hasNonNull("agent_id")));
        }
    }

    @Test
    void subscribingWithSinceReplaysTheLogFirstThenHearsNewEventsWithoutGaps() throws Exception {
        try (ApiHarness api = new ApiHarness(dir)) {
            long list = api.importPlan(PLAN);
            api.runToEnd(list);
            List<Long> firstRun = storedIds(api, 0, Long.MAX_VALUE);
            long since = firstRun.get(firstRun.size() / 2);
            try (WsClient ws = WsClient.connect(api, true)) {
                ws.send("{\"type\": \"subscribe\", \"ref\": 1, \"channels\": [\"events\"], \"since\": " + since + "}");
                assertEquals("ack", type(ws.next()), "the ack comes before the first frame the subscription brings");
                List<JsonNode> replayed = ws.until(f -> f.get("id").asLong() == firstRun.getLast());
                assertEquals(storedIds(api, since, Long.MAX_VALUE), replayed.stream().map(f -> f.get("id").asLong()).toList(),
                        "the log after since, in order");
                api.runToEnd(list);
                List<JsonNode> live = ws.until(ApiWebSocketTest::runFinished);
                assertEquals(storedIds(api, firstRun.getLast(), live.getLast().get("id").asLong()),
                        live.stream().map(f -> f.get("id").asLong()).toList(), "then what is stored next, nothing missed or repeated");
            }
        }
    }

    @Test
    void aLogsSubscriptionSendsTheSessionsStoredLinesInOrderEachOnce() throws Exception {
        try (ApiHarness api = new ApiHarness(dir); WsClient ws = WsClient.connect(api, true)) {
            JsonNode run = api.runToEnd(api.importPlan("""
                    name: printing
                    tasks:
                      - id: p
                        command: for i in 1 2 3 4 5; do echo line-$i; done
                    """));
            String session = ApiHarness.json(api.get("/api/sessions?run_id=" + run.get("id").asText())).get("sessions").get(0).get("id").asText();
            List<String> stored = api.room.store().output().lines(session, 0, 1000);
            assertTrue(stored.contains("line-5"), stored.toString());
            ws.send("{\"type\": \"subscribe\", \"ref\": \"l\", \"channels\": [\"logs:" + session + "\"]}");
            assertEquals("ack", type(ws.next()));
            List<JsonNode> lines = new ArrayList<>();
            for (int i = 0; i < stored.size(); i++) {
                lines.add(ws.next());
            }
            assertEquals(stored, lines.stream().map(f -> f.get("data").get("line").asText()).toList(), "the stored lines, in order");
            assertEquals(java.util.stream.LongStream.range(0, stored.size()).boxed().toList(),
                    lines.stream().map(f -> f.get("data").get("line_number").asLong()).toList());
            assertTrue(lines.stream().allMatch(f -> type(f).equals("iteration:log") && f.get("data").get("session_id").asText().equals(session)
                    && f.get("data").get("iteration").asInt() == 1));
            ws.send("{\"type\": \"unsubscribe\", \"ref\": \"u\", \"channels\": [\"logs:" + session + "\"]}");
            assertEquals("ack", type(ws.answerTo("u")), "nothing twice: after the stored lines the next frame is the unsubscribe's ack");
        }
    }

    @Test
    void anUnsubscribedChannelFallsSilentWhileTheOthersGoOn() throws Exception {
        try (ApiHarness api = new ApiHarness(dir); WsClient ws = WsClient.connect(api, true)) {
            long list = api.importPlan(PLAN);
            ws.send("{\"type\": \"subscribe\", \"ref\": \"s\", \"channels\": [\"events\", \"waves\"]}");
            assertEquals("ack", type(ws.answerTo("s")));
            ws.send("{\"type\": \"unsubscribe\", \"ref\": \"u\", \"channels\": [\"waves\"]}");
            assertEquals("ack", type(ws.answerTo("u")));
            api.runToEnd(list);
            List<JsonNode> frames = ws.until(ApiWebSocketTest::runFinished);
            assertTrue(frames.stream().anyMatch(f -> f.path("data").path("type").asText().equals("wave_started")), "the wave events are stored");
            assertTrue(frames.stream().allMatch(f -> type(f).equals("event:new")), "but no wave frame comes: " + frames);
        }
    }

    @Test
    void clientMessagesAreAnsweredWithAnAckOrAnErrorNamingTheProblem() throws Exception {
        try (ApiHarness api = new ApiHarness(dir); WsClient ws = WsClient.connect(api, true)) {
            long list = api.importPlan(PLAN);
            api.runToEnd(list);
            long taskA = ApiHarness.json(api.get("/api/tasks?task_list_id=" + list)).get("tasks").get(0).get("id").asLong();
            JsonNode session = ApiHarness.json(api.get("/api/sessions")).get("sessions").get(0);

            ws.send("{not json");
            JsonNode error = ws.next();
            assertEquals("error", type(error));
            assertTrue(error.get("detail").asText().contains("not valid JSON"), error.toString());

            ws.send("{\"type\": \"dance\", \"ref\": \"d\"}");
            assertDetail(ws.answerTo("d"), "error", "unknown message type 'dance'");

            ws.send("{\"type\": \"subscribe\", \"ref\": \"c\", \"channels\": [\"gossip\"]}");
            assertDetail(ws.answerTo("c"), "error", "unknown channel 'gossip'");

            ws.send("{\"type\": \"subscribe\", \"ref\": \"l\", \"channels\": [\"logs:no-such-session\"]}");
            assertDetail(ws.answerTo("l"), "error", "no session with id no-such-session");

            ws.send("{\"type\": \"task:assign\", \"ref\": \"t\", \"task_id\": 999999, \"agent_id\": 1}");
            assertDetail(ws.answerTo("t"), "error", "no task with id 999999");

            ws.send("{\"type\": \"task:assign\", \"ref\": \"x\", \"task_id\": " + taskA + ", \"agent_id\": 987654}");
            assertDetail(ws.answerTo("x"), "error", "no agent with id 987654");

            ws.send("{\"type\": \"session:terminate\", \"ref\": \"k\", \"session_id\": \"" + session.get("id").asText() + "\"}");
            JsonNode refused = ws.answerTo("k");
            assertEquals("error", type(refused), "a session that already ended cannot be terminated: " + refused);

            ws.send("{\"type\": \"qa:trigger\", \"ref\": \"q\", \"task_id\": " + taskA + "}");
            JsonNode verified = ws.answerTo("q");
            assertEquals("ack", type(verified), verified.toString());
            assertTrue(verified.get("data").get("passed").asBoolean(), "the ack says whether the task's checks passed");
        }
    }

    @Test
    void anIllegalMoveIsAnErrorInTheEnginesWords() throws Exception {
        try (ApiHarness api = new ApiHarness(dir); WsClient ws = WsClient.connect(api, true)) {
            long list = api.importPlan(PLAN);
            api.runToEnd(list);
            long taskA = ApiHarness.json(api.get("/api/tasks?task_list_id=" + list)).get("tasks").get(0).get("id").asLong();
            long agent = ApiHarness.json(api.get("/api/agents")).get("agents").get(0).get("id").asLong();
            ws.send("{\"type\": \"task:assign\", \"ref\": \"r\", \"task_id\": " + taskA + ", \"agent_id\": " + agent + "}");
            JsonNode answer = ws.answerTo("r");
            assertDetail(answer, "error", "succeeded");
        }
    }

    private static void assertDetail(JsonNode answer, String type, String part) {
        assertEquals(type, type(answer), answer.toString());
        assertTrue(answer.get("detail").asText().contains(part), answer.toString());
    }

    // ---- who may connect

    private static int refusedWith(ApiHarness api, String path, java.util.function.Consumer<java.net.http.WebSocket.Builder> setup) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> WsClient.connect(api, path, true, setup).close());
        Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
        assertTrue(cause instanceof WebSocketHandshakeException, String.valueOf(cause));
        return ((WebSocketHandshakeException) cause).getResponse().statusCode();
    }

    @Test
    void anUpgradeWithoutTheRightTokenOrFromAForeignOriginIsRefusedBeforeTheUpgrade() throws Exception {
        try (ApiHarness api = new ApiHarness(dir)) {
            assertEquals(401, refusedWith(api, "/ws", b -> { }), "no token");
            assertEquals(401, refusedWith(api, "/ws", b -> b.header("Authorization", "Bearer " + "0".repeat(64))), "wrong token");
            assertEquals(401, refusedWith(api, "/ws?token=" + "1".repeat(64), b -> { }), "wrong token as a parameter");
            assertEquals(403, refusedWith(api, "/ws", b -> b.header("Authorization", "Bearer " + api.token)
                    .header("Origin", "https://evil.example")), "foreign origin, even with the token");
        }
    }

    @Test
    void anUpgradeNamingAHostThatIsNotLoopbackIsRefusedWith403() throws Exception {
        try (ApiHarness api = new ApiHarness(dir)) {
            // What a DNS-rebinding page sends; the JDK client will not set Host, so a plain socket does.
            assertEquals(403, rawUpgrade(api, "attacker.example:" + api.api.port()));
            assertEquals(101, rawUpgrade(api, "localhost:" + api.api.port()), "the same upgrade naming loopback is accepted");
        }
    }

    private static int rawUpgrade(ApiHarness api, String host) throws Exception {
        try (java.net.Socket s = new java.net.Socket(ApiServer.HOST, api.api.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer " + api.token
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String head = new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    @Test
    void aBrowserPresentsTheTokenAsASubprotocolOrAQueryParameter() throws Exception {
        try (ApiHarness api = new ApiHarness(dir)) {
            try (WsClient ws = WsClient.connect(api, "/ws", true, b -> b.subprotocols("control-room", "bearer." + api.token)
                    .header("Origin", "http://localhost:5173"))) {
                assertEquals("control-room", ws.socket.getSubprotocol(), "the token is not echoed back as the chosen protocol");
                ws.send("{\"type\": \"subscribe\", \"ref\": \"p\", \"channels\": [\"events\"]}");
                assertEquals("ack", type(ws.answerTo("p")));
            }
            try (WsClient ws = WsClient.connect(api, "/ws?token=" + api.token, true, b -> { })) {
                ws.send("{\"type\": \"subscribe\", \"ref\": \"q\", \"channels\": [\"tasks\"]}");
                assertEquals("ack", type(ws.answerTo("q")));
            }
        }
    }
}
