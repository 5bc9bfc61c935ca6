package dev.controlroom.agent;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentProfile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How each profile's CLI is started: headless with its structured stream (what the orchestrator
 * runs), continuing its own session id where the CLI can, and interactively (for a person in a
 * terminal). Flags follow each CLI's documented headless mode.
 */
public final class AgentCommands {
    private AgentCommands() {
    }

    /** One process to start for an agent, and whether it prints a structured (JSON lines) stream. */
    public record Invocation(List<String> argv, Map<String, String> environment, boolean structured) {
        public Invocation {
            argv = List.copyOf(argv);
            environment = Map.copyOf(environment);
        }
    }

    /** Whether the profile can continue an earlier session of its own by id. */
    public static boolean canResume(AgentProfile profile) {
        return switch (profile) {
            case CLAUDE, CODEX, OPENCODE -> true;
            case CUSTOM, GEMINI, AIDER, OLLAMA, SHELL -> false;
        };
    }

    /**
     * The headless invocation for one prompt.
     *
     * @param resume the agent's own session id to continue (Claude {@code session_id}, Codex
     *               {@code thread_id}, OpenCode {@code sessionID}), when there is one
     */
    public static Invocation headless(Agent agent, String prompt, Optional<String> resume, Path workDir) {
        Optional<String> model = agent.model().filter(m -> !m.isBlank());
        List<String> a = new ArrayList<>();
        switch (agent.profile()) {
            case CLAUDE -> {
                a.addAll(List.of(exe(agent, "claude"), "-p", prompt, "--output-format", "stream-json", "--verbose",
                        "--permission-mode", "acceptEdits"));
                model.ifPresent(m -> a.addAll(List.of("--model", m)));
                resume.ifPresent(id -> a.addAll(List.of("--resume", id)));
                return new Invocation(a, Map.of(), true);
            }
            case CODEX -> {
                a.addAll(List.of(exe(agent, "codex"), "exec", "--json", "--skip-git-repo-check"));
                model.ifPresent(m -> a.addAll(List.of("--model", m)));
                if (resume.isPresent()) {
                    a.addAll(List.of("resume", resume.get(), prompt));
                } else {
                    a.add(prompt);
                }
                return new Invocation(a, Map.of(), true);
            }
            case GEMINI -> {
                a.addAll(List.of(exe(agent, "gemini"), "-p", prompt, "--output-format", "stream-json"));
                model.ifPresent(m -> a.addAll(List.of("-m", m)));
                return new Invocation(a, Map.of(), true);
            }
            case OPENCODE -> {
                a.addAll(List.of(exe(agent, "opencode"), "run", "--format", "json"));
                model.ifPresent(m -> a.addAll(List.of("--model", m)));
                resume.ifPresent(id -> a.addAll(List.of("--session", id)));
                a.add(prompt);
                return new Invocation(a, Map.of(), true);
            }
            case AIDER -> {
                a.addAll(List.of(exe(agent, "aider"), "--message", prompt, "--yes-always", "--no-pretty", "--no-stream"));
                model.ifPresent(m -> a.addAll(List.of("--model", m)));
                return new Invocation(a, Map.of(), false);
            }
            case OLLAMA -> {
                a.addAll(List.of(exe(agent, "ollama"), "run", model.orElse("llama3.2"), prompt));
                return new Invocation(a, Map.of(), false);
            }
            case CUSTOM -> {
                String template = agent.commandTemplate().orElseThrow(() -> new IllegalArgumentException(
                        "custom agent " + agent.name() + " has no command template"));
                String line = template.replace("{prompt}", quote(prompt)).replace("{workdir}", quote(workDir.toString()))
                        .replace("{model}", quote(model.orElse(""))).replace("{session_id}", quote(resume.orElse("")));
                return new Invocation(ProcessSpec.shellCommand(line), Map.of(), false);
            }
            case SHELL -> throw new IllegalArgumentException("a shell agent runs commands, not prompts");
        }
        throw new IllegalStateException("unknown profile " + agent.profile());
    }

    /** The command a person would type to work with the agent in a terminal, in its folder. */
    public static List<String> interactive(Agent agent, Optional<String> resume) {
        Optional<String> model = agent.model().filter(m -> !m.isBlank());
        List<String> a = new ArrayList<>();
        switch (agent.profile()) {
            case CLAUDE -> {
                a.add(exe(agent, "claude"));
                model.ifPresent(m -> a.addAll(List.of("--model", m)));
                resume.ifPresent(id -> a.addAll(List.of("--resume", id)));
            }
            case CODEX -> {
                a.addAll(List.of(exe(agent, "codex"), "--no-daemon"));
                resume.ifPresent(id -> a.addAll(List.of("resume", id)));
            }
            case GEMINI -> a.add(exe(agent, "gemini"));
            case OPENCODE -> a.add(exe(agent, "opencode"));
            case AIDER -> a.add(exe(agent, "aider"));
            case OLLAMA -> a.addAll(List.of(exe(agent, "ollama"), "run", model.orElse("llama3.2")));
            case CUSTOM, SHELL -> a.addAll(ProcessSpec.shellCommand(System.getenv().getOrDefault("SHELL", "/bin/sh")));
        }
        return a;
    }

    /** The executable: the agent's template names another one (a full path, a wrapper) when it is a single word. */
    private static String exe(Agent agent, String standard) {
        return agent.commandTemplate().filter(t -> !t.isBlank() && !t.contains(" ") && !t.contains("{")).orElse(standard);
    }

    /** Single-quotes a value for {@code sh}, so a prompt can hold any character. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    /** A shell line that runs {@code setup} commands first and then becomes {@code argv} (exec), so one PTY shows both. */
    public static List<String> withSetup(List<String> setup, List<String> argv) {
        if (setup.isEmpty()) {
            return argv;
        }
        StringBuilder line = new StringBuilder();
        for (String s : setup) {
            line.append(s).append(" && ");
        }
        line.append("exec");
        for (String arg : argv) {
            line.append(' ').append(quote(arg));
        }
        return ProcessSpec.shellCommand(line.toString());
    }
}
