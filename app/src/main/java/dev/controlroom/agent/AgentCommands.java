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

    /**
     * A prompt longer than this (in UTF-8 bytes) does not go on the command line: one argument can
     * carry at most 128 KiB on Linux (and less on Windows), so it is read from a file instead.
     */
    static final int LONGEST_PROMPT_ARGUMENT = 32 * 1024;

    /** The name Control Room's MCP server has in an agent's CLI: its tools are {@code mcp__control-room__<tool>} there. */
    public static final String MCP_SERVER_NAME = "control-room";
    /** The variable that carries the API token to an agent's process; its CLI's MCP configuration names it, never the value. */
    public static final String MCP_TOKEN_VARIABLE = "CONTROL_ROOM_API_TOKEN";

    /** Writes a prompt to a file only its owner can read, for a CLI that reads it from there or from standard input. */
    @FunctionalInterface
    public interface PromptFiles {
        Path write(String prompt) throws java.io.IOException;
    }

    /** Whether the profile can continue an earlier session of its own by id. */
    public static boolean canResume(AgentProfile profile) {
        return switch (profile) {
            case CLAUDE, CODEX, GEMINI, OPENCODE, QWEN -> true;
            case CUSTOM, AIDER, OLLAMA, SHELL -> false;
        };
    }

    /**
     * The headless invocation for one prompt. The prompt is always one argument after {@code --}
     * (or the value of an {@code --option=}), never something a CLI could read as an option: a
     * Markdown list starting with {@code -}, or Codex's {@code -} for standard input. A long prompt
     * is read from a private file: as standard input where the CLI reads its prompt from there.
     *
     * @param resume the agent's own session id to continue (Claude {@code session_id}, Codex
     *               {@code thread_id}, Gemini CLI and Qwen Code {@code session_id}, OpenCode {@code sessionID}), when
     *               there is one
     * @throws java.io.IOException when the prompt file cannot be written
     */
    public static Invocation headless(Agent agent, String prompt, Optional<String> resume, Path workDir, PromptFiles files)
            throws java.io.IOException {
        return headless(agent, prompt, resume, workDir, files, Optional.empty());
    }

    /** Whether the profile's CLI is given Control Room's MCP server when its agent opts in (Claude Code today). */
    public static boolean takesMcpServer(AgentProfile profile) {
        return profile == AgentProfile.CLAUDE;
    }

    /**
     * As {@link #headless(Agent, String, Optional, Path, PromptFiles)}, with Control Room's MCP server
     * at {@code mcpUrl} in the CLI's configuration where {@link #takesMcpServer} says it can have it.
     * The command line names the token's variable ({@value #MCP_TOKEN_VARIABLE}), which the CLI
     * expands itself: the process's environment must carry it.
     */
    public static Invocation headless(Agent agent, String prompt, Optional<String> resume, Path workDir, PromptFiles files,
                                      Optional<String> mcpUrl) throws java.io.IOException {
        Optional<String> model = agent.model().filter(m -> !m.isBlank());
        boolean longPrompt = prompt.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > LONGEST_PROMPT_ARGUMENT;
        List<String> a = new ArrayList<>();
        switch (agent.profile()) {
            case CLAUDE -> {
                // Partial messages: a long answer (a big file written by a tool) prints while it streams, which the watchdog sees as progress.
                a.addAll(List.of(exe(agent, "claude"), "-p", "--output-format", "stream-json", "--verbose", "--include-partial-messages",
                        "--permission-mode", "acceptEdits"));
                model.ifPresent(m -> a.addAll(List.of("--model", m)));
                resume.ifPresent(id -> a.addAll(List.of("--resume", id)));
                // Its tools run without asking, as edits do: print mode has no one to ask.
                mcpUrl.ifPresent(url -> a.addAll(List.of("--mcp-config", claudeMcpConfig(url), "--allowedTools", "mcp__" + MCP_SERVER_NAME)));
                // Without a prompt argument, print mode reads the prompt from standard input.
                return longPrompt ? fromStdin(a, files.write(prompt), true) : new Invocation(withPrompt(a, prompt), Map.of(), true);
            }
            case CODEX -> {
                a.addAll(List.of(exe(agent, "codex"), "exec", "--json", "--skip-git-repo-check"));
                model.ifPresent(m -> a.addAll(List.of("--model", m)));
                resume.ifPresent(id -> a.addAll(List.of("resume", id)));
                // Codex reads its prompt from standard input when the prompt is "-": a prompt that is "-" goes that way too.
                if (longPrompt || prompt.equals("-")) {
                    a.addAll(List.of("--", "-"));
                    return fromStdin(a, files.write(prompt), true);
                }
                return new Invocation(withPrompt(a, prompt), Map.of(), true);
            }
            case GEMINI -> {
                // --skip-trust: headless runs refuse an untrusted folder, and every worktree is a new folder.
                // auto_edit: file edits run without asking, as Claude's acceptEdits; headless mode leaves out
                // the tools that would have to ask.
                a.addAll(List.of(exe(agent, "gemini"), "--output-format", "stream-json", "--skip-trust", "--approval-mode", "auto_edit"));
                model.ifPresent(m -> a.addAll(List.of("-m", m)));
                resume.ifPresent(id -> a.addAll(List.of("--resume", id)));
                // An empty --prompt= keeps headless mode; the prompt is then read from standard input.
                return longPrompt ? fromStdin(withOption(a, "--prompt=", ""), files.write(prompt), true)
                        : new Invocation(withOption(a, "--prompt=", prompt), Map.of(), true);
            }
            case OPENCODE -> {
                a.addAll(List.of(exe(agent, "opencode"), "run", "--format", "json"));
                model.ifPresent(m -> a.addAll(List.of("--model", m)));
                resume.ifPresent(id -> a.addAll(List.of("--session", id)));
                // Without a prompt argument, run reads the prompt from standard input.
                return longPrompt ? fromStdin(a, files.write(prompt), true) : new Invocation(withPrompt(a, prompt), Map.of(), true);
            }
            case QWEN -> {
                // Partial messages: without them a long streamed answer prints nothing until it is complete.
                a.addAll(List.of(exe(agent, "qwen"), "--output-format", "stream-json", "--include-partial-messages",
                        "--approval-mode", "auto-edit"));
                model.ifPresent(m -> a.addAll(List.of("--model", m)));
                resume.ifPresent(id -> a.addAll(List.of("--resume", id)));
                // Its parser keeps what follows "--" apart from the prompt: the prompt is an --option= value,
                // or standard input when there is no prompt option.
                return longPrompt ? fromStdin(a, files.write(prompt), true)
                        : new Invocation(withOption(a, "--prompt=", prompt), Map.of(), true);
            }
            case AIDER -> {
                a.add(exe(agent, "aider"));
                a.add(longPrompt ? "--message-file=" + files.write(prompt) : "--message=" + prompt);
                a.addAll(List.of("--yes-always", "--no-pretty", "--no-stream"));
                model.ifPresent(m -> a.addAll(List.of("--model", m)));
                return new Invocation(a, Map.of(), false);
            }
            case OLLAMA -> {
                a.addAll(List.of(exe(agent, "ollama"), "run", model.orElse("llama3.2")));
                return new Invocation(withPrompt(a, prompt), Map.of(), false);
            }
            case CUSTOM -> {
                String template = agent.commandTemplate().orElseThrow(() -> new IllegalArgumentException(
                        "custom agent " + agent.name() + " has no command template"));
                Map<String, String> values = new java.util.HashMap<>(Map.of("prompt", prompt, "workdir", workDir.toString(),
                        "model", model.orElse(""), "session_id", resume.orElse("")));
                if (template.contains("{prompt_file}")) {
                    values.put("prompt_file", files.write(prompt).toString());
                }
                CustomTemplate.Expanded line = CustomTemplate.expand(template, values);
                return new Invocation(ProcessSpec.shellCommand(line.line()), line.environment(), false);
            }
            case SHELL -> throw new IllegalArgumentException("a shell agent runs commands, not prompts");
        }
        throw new IllegalStateException("unknown profile " + agent.profile());
    }

    /**
     * Claude Code's {@code --mcp-config} for Control Room's server over streamable HTTP. The CLI
     * expands {@code ${VAR}} in it, so the header names the token's variable and the value stays in
     * the environment.
     */
    static String claudeMcpConfig(String url) {
        com.fasterxml.jackson.databind.node.ObjectNode config = JSON.createObjectNode();
        config.putObject("mcpServers").putObject(MCP_SERVER_NAME).put("type", "http").put("url", url)
                .putObject("headers").put("Authorization", "Bearer ${" + MCP_TOKEN_VARIABLE + "}");
        return config.toString();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The prompt as the one argument after {@code --}: nothing in it is read as an option. */
    private static List<String> withPrompt(List<String> argv, String prompt) {
        argv.add("--");
        argv.add(prompt);
        return argv;
    }

    /** The prompt as the value of an {@code --option=}: one argument, never read as an option of its own. */
    private static List<String> withOption(List<String> argv, String option, String prompt) {
        argv.add(option + prompt);
        return argv;
    }

    /** Starts {@code argv} with the prompt file as its standard input (the terminal stays its output). */
    private static Invocation fromStdin(List<String> argv, Path promptFile, boolean structured) {
        List<String> line = new ArrayList<>(ProcessSpec.shellCommand("exec \"$@\" < \"$CONTROL_ROOM_PROMPT_FILE\""));
        line.add("sh");
        line.addAll(argv);
        return new Invocation(line, Map.of("CONTROL_ROOM_PROMPT_FILE", promptFile.toString()), structured);
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
            case GEMINI -> {
                a.add(exe(agent, "gemini"));
                resume.ifPresent(id -> a.addAll(List.of("--resume", id)));
            }
            case OPENCODE -> a.add(exe(agent, "opencode"));
            case QWEN -> {
                a.add(exe(agent, "qwen"));
                resume.ifPresent(id -> a.addAll(List.of("--resume", id)));
            }
            case AIDER -> a.add(exe(agent, "aider"));
            case OLLAMA -> a.addAll(List.of(exe(agent, "ollama"), "run", model.orElse("llama3.2")));
            case CUSTOM, SHELL -> a.addAll(ProcessSpec.shellCommand(System.getenv().getOrDefault("SHELL", "/bin/sh")));
        }
        return a;
    }

    /** The executable: the agent's template names another one (a full path, a wrapper) when it is a single word. */
    /** The executable an agent's CLI is started with ({@code claude}, or the agent's own path to it); empty for shell and custom agents. */
    public static Optional<String> executable(Agent agent) {
        return agent.profile() == AgentProfile.CUSTOM ? Optional.empty() : agent.profile().executable().map(standard -> exe(agent, standard));
    }

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
