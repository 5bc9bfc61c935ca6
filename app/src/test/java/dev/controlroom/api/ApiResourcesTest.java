package dev.controlroom.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resources over the real engine and database: reads, edits, controls, and their refusals. */
class ApiResourcesTest {
    private static final String PLAN = """
            name: api-plan
            tasks:
              - id: first
                command: echo hello-from-first
              - id: second
                command: echo second
                depends_on: [first]
            """;
    @TempDir
    static Path dir;
    private static ApiHarness api;
    private static long listId;
    private static JsonNode run;

    @BeforeAll
    static void runAPlan() throws Exception {
        api = new ApiHarness(dir);
        listId = api.importPlan(PLAN);
        run = api.runToEnd(listId);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static void assertProblem(HttpResponse<String> r, int status, String field, String detailPart) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonNode p = ApiHarness.json(r);
        assertEquals(status, p.get("status").asInt());
        assertTrue(p.hasNonNull("title") && p.hasNonNull("type"), r.body());
        if (field != null) {
            assertEquals(field, p.path("field").asText(), r.body());
        }
        assertTrue(p.get("detail").asText().contains(detailPart), p.get("detail").asText());
    }

    @Test
    void aRunStartedThroughTheApiRunsItsTasksAndShowsItsWaves() throws Exception {
        assertEquals("succeeded", run.get("status").asText());
        JsonNode waves = run.get("waves");
        assertEquals(2, waves.size());
        assertEquals("completed", waves.get(1).get("status").asText());
        JsonNode tasks = ApiHarness.json(api.get("/api/tasks?task_list_id=" + listId + "&status=succeeded&wave=1"));
        assertEquals(1, tasks.get("total").asInt());
        assertEquals("second", tasks.get("tasks").get(0).get("key").asText());
    }

    @Test
    void tasksArePagedWithTheirTotal() throws Exception {
        JsonNode page = ApiHarness.json(api.get("/api/tasks?task_list_id=" + listId + "&limit=1&offset=1"));
        assertEquals(2, page.get("total").asInt());
        assertEquals(1, page.get("tasks").size());
        assertEquals("second", page.get("tasks").get(0).get("key").asText());
    }

    @Test
    void aSessionsCleanOutputIsReadInPages() throws Exception {
        JsonNode sessions = ApiHarness.json(api.get("/api/sessions?run_id=" + run.get("id").asText())).get("sessions");
        assertEquals(2, sessions.size());
        String first = null;
        for (JsonNode s : sessions) {
            JsonNode output = ApiHarness.json(api.get("/api/sessions/" + s.get("id").asText() + "/output?from=0&limit=100"));
            if (output.get("lines").toString().contains("hello-from-first")) {
                first = s.get("id").asText();
            }
        }
        assertTrue(first != null, "one session printed hello-from-first");
        JsonNode session = ApiHarness.json(api.get("/api/sessions/" + first));
        assertTrue(session.get("iterations").isArray(), session.toString());
    }

    @Test
    void anIllegalControlIsA409NamingTheState() throws Exception {
        long taskId = ApiHarness.json(api.get("/api/tasks?task_list_id=" + listId)).get("tasks").get(0).get("id").asLong();
        assertProblem(api.post("/api/tasks/" + taskId + "/retry", ""), 409, null, "succeeded");
        assertProblem(api.post("/api/runs/" + run.get("id").asText() + "/pause", ""), 409, null, "succeeded");
    }

    @Test
    void unknownIdsAre404() throws Exception {
        assertProblem(api.get("/api/tasks/999999"), 404, null, "999999");
        assertProblem(api.get("/api/runs/run-none"), 404, null, "run-none");
        assertProblem(api.get("/api/sessions/none"), 404, null, "none");
        assertProblem(api.post("/api/runs", "{\"task_list_id\": 424242}"), 404, null, "424242");
    }

    @Test
    void badQueryParametersAre400NamingTheField() throws Exception {
        assertProblem(api.get("/api/tasks?status=sleeping"), 400, "status", "sleeping");
        assertProblem(api.get("/api/tasks?limit=0"), 400, "limit", "limit");
        assertProblem(api.get("/api/events?since=yesterday"), 400, "since", "yesterday");
        assertProblem(api.post("/api/runs", "{\"task_list_id\": " + listId + ", \"wave_mode\": \"sideways\"}"), 400, "wave_mode", "sideways");
    }

    @Test
    void anInvalidPlanListsEveryProblemWithLineAndColumnAndStoresNothing() throws Exception {
        int before = ApiHarness.json(api.get("/api/plans")).get("task_lists").size();
        HttpResponse<String> r = api.send(api.request("/api/plans").header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers
                .ofString("name: broken\ntasks:\n  - id: a\n    command: echo a\n    depends_on: [nope]\n  - id: a\n    command: echo b\n")).build());
        assertProblem(r, 400, "body", "nope");
        JsonNode problems = ApiHarness.json(r).get("problems");
        assertTrue(problems.size() >= 2, r.body());
        for (JsonNode p : problems) {
            assertTrue(p.get("line").isInt() && p.get("column").isInt(), "every problem has line and column: " + p);
        }
        assertEquals(before, ApiHarness.json(api.get("/api/plans")).get("task_lists").size());
    }

    @Test
    void aTaskIsCreatedEditedAndDeletedWithThePlanRules() throws Exception {
        long list = api.importPlan("name: editable\ntasks:\n  - id: base\n    command: echo base\n");
        HttpResponse<String> bad = api.post("/api/tasks", "{\"task_list_id\": " + list + ", \"key\": \"next\", \"command\": \"echo n\", "
                + "\"depends_on\": [\"missing\"]}");
        assertProblem(bad, 400, "depends_on", "missing");
        assertEquals(1, ApiHarness.json(api.get("/api/tasks?task_list_id=" + list)).get("total").asInt(), "nothing stored");
        HttpResponse<String> created = api.post("/api/tasks", "{\"task_list_id\": " + list + ", \"key\": \"next\", \"command\": \"echo n\", "
                + "\"depends_on\": [\"base\"], \"priority\": 3}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode task = ApiHarness.json(created);
        assertEquals(1, task.get("wave").asInt());
        assertEquals("not_run", task.get("status").asText());
        long id = task.get("id").asLong();
        HttpResponse<String> cycle = api.method("PATCH", "/api/tasks/" + ApiHarness.json(api.get("/api/tasks?task_list_id=" + list))
                .get("tasks").get(0).get("id").asLong(), "{\"depends_on\": [\"next\"]}");
        assertProblem(cycle, 400, null, "cycle");
        HttpResponse<String> patched = api.method("PATCH", "/api/tasks/" + id, "{\"title\": \"Next step\"}");
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals("Next step", ApiHarness.json(patched).get("title").asText());
        assertEquals(3, ApiHarness.json(patched).get("priority").asInt(), "fields not in the patch are kept");
        assertEquals(200, api.method("DELETE", "/api/tasks/" + id, "").statusCode());
        assertProblem(api.get("/api/tasks/" + id), 404, null, Long.toString(id));
    }

    @Test
    void eventsAreFilteredByType() throws Exception {
        JsonNode events = ApiHarness.json(api.get("/api/events?type=run_started&limit=5")).get("events");
        assertTrue(events.size() >= 1);
        for (JsonNode e : events) {
            assertEquals("run_started", e.get("type").asText());
            assertTrue(e.get("payload").isObject(), "the payload is JSON, not a string");
        }
    }

    @Test
    void anAgentIsFiredAndRehiredThroughPatch() throws Exception {
        long agentId = ApiHarness.json(api.get("/api/agents")).get("agents").get(0).get("id").asLong();
        assertEquals(false, ApiHarness.json(api.method("PATCH", "/api/agents/" + agentId, "{\"active\": false}")).get("active").asBoolean());
        assertEquals(true, ApiHarness.json(api.method("PATCH", "/api/agents/" + agentId, "{\"active\": true}")).get("active").asBoolean());
        assertProblem(api.method("PATCH", "/api/agents/" + agentId, "{\"status\": \"busy\"}"), 400, "status", "engine");
    }

    @Test
    void aPlanIsExportedAsAFileTheReaderAcceptsAgain() throws Exception {
        HttpResponse<String> yaml = api.get("/api/plans/" + listId + "/export?format=yaml");
        assertEquals(200, yaml.statusCode());
        JsonNode check = ApiHarness.json(api.send(api.request("/api/plans/validate").header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml.body())).build()));
        assertTrue(check.get("valid").asBoolean(), check.toString());
    }
}
