package dev.controlroom.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.TaskState;
import dev.controlroom.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/** {@code status}: the latest runs, or one run task by task. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the latest runs, or one run task by task with --run.")
public final class StatusCommand extends StoreCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Option(names = "--run", paramLabel = "ID", description = "One run, task by task.")
    String runId;

    @Option(names = "--limit", paramLabel = "N", description = "How many runs to list (default: ${DEFAULT-VALUE}).")
    int limit = 20;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    int run(Store store, PrintWriter out, PrintWriter err) {
        if (runId != null) {
            Optional<RunSummary> run = store.runs().find(runId);
            if (run.isEmpty()) {
                err.println("error: no run with id " + runId);
                return 1;
            }
            RunReport report = new RunReport(store, run.get());
            if (json) {
                report.printJson(out);
            } else {
                report.printTable(out);
            }
            return 0;
        }
        List<RunSummary> runs = store.runs().latest(limit);
        if (json) {
            ArrayNode list = new ObjectMapper().createArrayNode();
            runs.forEach(r -> list.add(new RunReport(store, r).json()));
            out.println(list.toPrettyString());
        } else if (runs.isEmpty()) {
            out.println("No runs yet. Start one with: control-room run PLAN");
        } else {
            Table table = new Table("RUN", "PLAN", "STATE", "DONE", "FAILED", "RUNNING", "STARTED", "BY");
            for (RunSummary r : runs) {
                int done = r.count(TaskState.SUCCEEDED) + r.count(TaskState.SKIPPED);
                int failed = r.count(TaskState.FAILED) + r.count(TaskState.BLOCKED) + r.count(TaskState.NEEDS_DECISION);
                table.row(r.id(), r.planName(), r.state().id(), done + "/" + r.total(), failed, r.count(TaskState.RUNNING),
                        TIME.format(r.createdAt()), r.startedBy());
            }
            table.print(out);
        }
        out.flush();
        return 0;
    }
}
