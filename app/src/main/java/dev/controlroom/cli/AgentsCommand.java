package dev.controlroom.cli;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.TestedCliVersions;
import dev.controlroom.store.Store;
import dev.controlroom.agent.CliVersions;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code agents}: the roster. */
@Command(name = "agents", mixinStandardHelpOptions = true, description = "List the roster: every agent, active or fired, with its record.")
public final class AgentsCommand extends StoreCommand {
    @Override
    int run(Store store, PrintWriter out, PrintWriter err) {
        Table table = new Table("AGENT", "PROFILE", "MODEL", "TEAM", "STATE", "SLOTS", "SUCCEEDED", "FAILED", "SUCCESS", "REWARD", "TOKENS");
        for (Agent a : store.agents().listAll()) {
            table.row(a.name(), a.profile().id(), a.model().orElse("-"), a.team().orElse("-"),
                    a.active() ? a.status().label() : "fired", a.maxConcurrent(), a.stats().succeeded(), a.stats().failed(),
                    a.stats().successRate().isPresent() ? String.format(Locale.ROOT, "%.0f%%", a.stats().successRate().getAsDouble() * 100) : "-",
                    a.stats().reward(), a.stats().tokens());
        }
        table.print(out);
        Map<String, String> clis = store.settings().withPrefix(CliVersions.SETTING_PREFIX);
        if (!clis.isEmpty()) {
            // The window asks each CLI for its version when it opens; the command line shows what it last found.
            out.println();
            out.println("Agent CLIs: " + String.join(" · ", clis.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
            clis.forEach((cli, version) -> Arrays.stream(AgentProfile.values()).filter(p -> p.executable().equals(Optional.of(cli)))
                    .findFirst().flatMap(p -> TestedCliVersions.warning(p, cli, version)).ifPresent(w -> out.println("warning: " + w)));
        }
        return 0;
    }
}
