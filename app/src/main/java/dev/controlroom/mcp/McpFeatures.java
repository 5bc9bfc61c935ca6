package dev.controlroom.mcp;

import dev.controlroom.api.ApiJson;
import dev.controlroom.api.PlanService;
import dev.controlroom.api.Problem;
import dev.controlroom.api.RunService;
import dev.controlroom.api.TaskService;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.store.Store;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tools and resources of Control Room's MCP server, whatever carries them: each is a call into
 * the services the API uses ({@link TaskService}, {@link PlanService}, {@link RunService}), so a
 * tool checks, refuses and answers exactly as the matching route does. Answers are the API's JSON; a
 * refusal is a tool error whose text names the problem (every problem of a plan with its line and
 * column), never a stack trace.
 */
final class McpFeatures {
    private static final Logger LOG = Logger.getLogger(McpFeatures.class.getName());
    /** MCP's code for a resource that does not exist. */
    private static final int RESOURCE_NOT_FOUND = -32002;
    private static final String JSON = "application/json";

    private final TaskService tasks;
    private final PlanService plans;
    private final RunService runs;
    private final McpJsonMapper mapper;

    McpFeatures(Store store, Orchestrator engine, McpJsonMapper mapper) {
        this.tasks = new TaskService(store, engine);
        this.plans = new PlanService(store);
        this.runs = new RunService(store, engine);
        this.mapper = mapper;
    }

    List<SyncToolSpecification> tools() {
        return List.of(
                tool("list_tasks", "List tasks of the task lists with their state in each list's newest run (status is a task state or "
                                + "not_run). Filters are optional; answers {tasks, total}.",
                        """
                        {"type":"object","properties":{
                          "task_list_id":{"type":"integer"},"status":{"type":"string"},"priority":{"type":"integer"},
                          "wave":{"type":"integer"},"lane":{"type":"string"},"agent":{"type":"string","description":"agent name or id"},
                          "limit":{"type":"integer","minimum":1,"maximum":1000,"default":100},"offset":{"type":"integer","minimum":0}}}""",
                        a -> {
                            a.only(Set.of("task_list_id", "status", "priority", "wave", "lane", "agent", "limit", "offset"), "list_tasks");
                            return tasks.list(new TaskService.Filter(a.number("task_list_id"), a.text("status").map(TaskService::status),
                                    a.number("priority"), a.number("wave"), a.text("lane"), a.text("agent"), a.count("limit", 100, 1, 1000),
                                    a.count("offset", 0, 0, Integer.MAX_VALUE)));
                        }),
                tool("get_task", "One task by its id: definition, wave, state, attempts and reason in its list's newest run.",
                        """
                        {"type":"object","properties":{"id":{"type":"integer"}},"required":["id"]}""",
                        a -> tasks.get(a.requiredNumber("id"))),
                tool("list_runs", "Runs, newest first, with their state and counts per task state.",
                        """
                        {"type":"object","properties":{"task_list_id":{"type":"integer"},"status":{"type":"string"},
                          "limit":{"type":"integer","minimum":1,"maximum":1000,"default":50}}}""",
                        a -> Map.of("runs", runs.list(a.number("task_list_id"), a.text("status").map(RunService::status),
                                a.count("limit", 50, 1, 1000)))),
                tool("get_run", "One run by its id, with its waves and the count of its tasks in each state (status succeeded, failed or "
                                + "cancelled when it has finished).",
                        """
                        {"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}""",
                        a -> runs.view(runs.find(a.requiredText("id")))),
                tool("list_sessions", "Agent sessions (one per attempt of a task), newest first, by run, agent and status; each has the "
                                + "task_id it ran and its id for read_session_output.",
                        """
                        {"type":"object","properties":{"run_id":{"type":"string"},"agent_id":{"type":"integer"},"status":{"type":"string"},
                          "limit":{"type":"integer","minimum":1,"maximum":1000,"default":100}}}""",
                        a -> Map.of("sessions", runs.sessions(a.number("agent_id"), a.text("run_id"), a.text("status"),
                                a.count("limit", 100, 1, 1000)))),
                tool("read_session_output", "A page of what an agent session printed, as clean text lines; 'next' is where the following "
                                + "page starts, 'total' the lines so far.",
                        """
                        {"type":"object","properties":{"session_id":{"type":"string"},"from":{"type":"integer","minimum":0,"default":0},
                          "limit":{"type":"integer","minimum":1,"maximum":10000,"default":500}},"required":["session_id"]}""",
                        a -> runs.output(a.requiredText("session_id"), a.number("from").orElse(0L), a.count("limit", 500, 1, 10_000))),
                tool("create_task", "Add a task to a task list, checked with the rest of the list by the plan file's rules (key unique, "
                                + "depends_on known, no cycle, agent on the roster); refused while the list has an unfinished run. With "
                                + "parent_task_id (or run_id and parent_task_key, as a task's agent finds them in CONTROL_ROOM_RUN_ID and "
                                + "CONTROL_ROOM_TASK_ID) it is a sub-task instead: it joins its parent's live run at once.",
                        """
                        {"type":"object","properties":{
                          "task_list_id":{"type":"integer"},"key":{"type":"string","description":"the task's id in its list"},
                          "title":{"type":"string"},"prompt":{"type":"string","description":"what the agent is asked to do"},
                          "command":{"type":"string","description":"a shell command instead of an agent"},
                          "description":{"type":"string"},"priority":{"type":"integer"},
                          "depends_on":{"type":"array","items":{"type":"string"}},"agent":{"type":"string"},"profile":{"type":"string"},
                          "category":{"type":"string"},"critical":{"type":"boolean"},"verify":{"type":"array","items":{"type":"string"}},
                          "max_attempts":{"type":"integer"},"timeout":{"type":"string"},
                          "parent_task_id":{"type":"integer","description":"makes it a sub-task of this task, in its live run"},
                          "run_id":{"type":"string"},"parent_task_key":{"type":"string","description":"with run_id: the parent by its key"}},
                         "required":["key","title"]}""",
                        a -> tasks.create(a.body())),
                tool("import_plan", "Import a plan file's text (YAML, or JSON) as a new task list. Nothing is stored when it has problems; "
                                + "each problem is reported as plan:LINE:COLUMN: path: message.",
                        """
                        {"type":"object","properties":{"plan":{"type":"string"},"format":{"type":"string","enum":["yaml","json"],
                          "default":"yaml"}},"required":["plan"]}""",
                        a -> {
                            a.only(Set.of("plan", "format"), "import_plan");
                            PlanReader.Format format = switch (a.text("format").orElse("yaml")) {
                                case "yaml" -> PlanReader.Format.YAML;
                                case "json" -> PlanReader.Format.JSON;
                                default -> throw Problem.badField("format", "format must be yaml or json, not '" + a.text("format").orElseThrow() + "'");
                            };
                            return plans.importPlan(a.requiredText("plan"), format, "plan");
                        }),
                tool("start_run", "Start a run of a task list by the engine; answers the run (its id is used by get_run).",
                        """
                        {"type":"object","properties":{"task_list_id":{"type":"integer"},"concurrency":{"type":"integer","minimum":1,
                          "maximum":256},"wave_mode":{"type":"string","enum":["dataflow","barrier"]}},"required":["task_list_id"]}""",
                        // runs record the door they came through by a fixed set of names: MCP is one of the local API's doors
                        a -> runs.start(a.body(), "api")),
                tool("answer_question", "Answer the question an agent is waiting on (task status waiting), as the window's answer box does.",
                        """
                        {"type":"object","properties":{"task_id":{"type":"integer"},"text":{"type":"string"}},
                         "required":["task_id","text"]}""",
                        a -> {
                            a.only(Set.of("task_id", "text"), "answer_question");
                            return tasks.answer(a.requiredNumber("task_id"), a.requiredText("text"));
                        }));
    }

    List<SyncResourceSpecification> resources() {
        McpSchema.Resource runsNow = McpSchema.Resource.builder().uri("controlroom://runs").name("runs").title("Runs")
                .description("The newest runs with their state, read when asked").mimeType(JSON).build();
        return List.of(new SyncResourceSpecification(runsNow, (exchange, request) ->
                read(request.uri(), () -> Map.of("runs", runs.list(Optional.empty(), Optional.empty(), 50)))));
    }

    List<SyncResourceTemplateSpecification> resourceTemplates() {
        return List.of(
                new SyncResourceTemplateSpecification(McpSchema.ResourceTemplate.builder().uriTemplate("controlroom://runs/{id}").name("run")
                        .title("A run").description("A run as it stands now: state, waves, counts per task state").mimeType(JSON).build(),
                        (exchange, request) -> read(request.uri(), () -> runs.view(runs.find(idIn(request.uri(), "controlroom://runs/"))))),
                new SyncResourceTemplateSpecification(McpSchema.ResourceTemplate.builder().uriTemplate("controlroom://tasks/{id}").name("task")
                        .title("A task").description("A task as it stands now in its list's newest run").mimeType(JSON).build(),
                        (exchange, request) -> read(request.uri(), () -> tasks.get(taskId(request.uri())))));
    }

    private static String idIn(String uri, String prefix) {
        String id = uri.startsWith(prefix) ? uri.substring(prefix.length()) : "";
        if (id.isEmpty() || id.contains("/")) {
            throw Problem.notFound("no resource " + uri);
        }
        return id;
    }

    private static long taskId(String uri) {
        String id = idIn(uri, "controlroom://tasks/");
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw Problem.notFound("no resource " + uri + ": a task id is a whole number");
        }
    }

    private static ReadResourceResult read(String uri, java.util.function.Supplier<Object> value) {
        try {
            return new ReadResourceResult(List.of(new TextResourceContents(uri, JSON, ApiJson.write(value.get()))));
        } catch (Problem p) {
            throw McpError.builder(p.status() == 404 ? RESOURCE_NOT_FOUND : McpSchema.ErrorCodes.INVALID_PARAMS).message(p.getMessage()).build();
        }
    }

    private SyncToolSpecification tool(String name, String description, String schema, Function<Arguments, Object> handler) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(description).inputSchema(mapper, schema).build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> call(name, handler, request.arguments())).build();
    }

    private static CallToolResult call(String name, Function<Arguments, Object> handler, Map<String, Object> arguments) {
        try {
            return CallToolResult.builder().addTextContent(ApiJson.write(handler.apply(Arguments.of(arguments)))).isError(false).build();
        } catch (Problem p) {
            CallToolResult.Builder refused = CallToolResult.builder().addTextContent(p.getMessage()).isError(true);
            if (!p.problems().isEmpty()) {
                refused.addTextContent(ApiJson.write(Map.of("problems", p.problems())));
            }
            return refused.build();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the MCP tool " + name + " failed", e);
            return CallToolResult.builder().addTextContent("the tool " + name + " failed inside Control Room: " + e.getMessage())
                    .isError(true).build();
        }
    }
}
