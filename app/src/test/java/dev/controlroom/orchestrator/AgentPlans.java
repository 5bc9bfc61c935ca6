package dev.controlroom.orchestrator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.NewAgent;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Plans with one AI task in a worktree of {@code repo}, for the tests that run real agent CLIs through the engine. */
final class AgentPlans {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Prompts a command line could take for something else: a Markdown list, Codex's "-" for standard input, an option, 200 KiB. */
    static final List<String> AWKWARD_PROMPTS = List.of("- first item\n- second item", "-", "--help",
            "Summarise this:\n" + "lorem ipsum dolor sit amet ".repeat(8_000));

    private AgentPlans() {
    }

    /** The task's environment is the CLI's complete environment; {@code taskYaml} adds task keys (indented lines), or is empty. */
    static String plan(String id, String prompt, String agent, Map<String, String> env, Optional<String> verify, int maxAttempts,
                       String taskYaml) {
        StringBuilder yaml = new StringBuilder("name: ai\ntasks:\n  - id: ").append(id).append("\n    prompt: ")
                .append(quoted(prompt)).append("\n    agent: ").append(agent).append("\n    max_attempts: ")
                .append(maxAttempts).append("\n");
        verify.ifPresent(v -> yaml.append("    verify: [").append(quoted(v)).append("]\n"));
        yaml.append(taskYaml);
        yaml.append("    context:\n      repo: repo\n      worktree: true\n      env:\n");
        env.forEach((k, v) -> yaml.append("        ").append(k).append(": ").append(quoted(v)).append('\n'));
        return yaml.toString();
    }

    /** Hires one agent of {@code profile} whose command is the installed CLI {@code executable}. */
    static void hire(EngineHarness h, String name, AgentProfile profile, Optional<String> model, String executable) {
        h.store.agents().hire(new NewAgent(name, Optional.empty(), profile, model, Optional.of(executable), 1));
        h.orchestrator.rosterChanged();
    }

    static List<Event> ofType(EngineHarness h, String runId, String type) {
        return h.store.events().latest(2000).stream().filter(e -> e.type().id().equals(type) && e.runId().equals(Optional.of(runId))).toList();
    }

    private static String quoted(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
