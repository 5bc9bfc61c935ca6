package dev.controlroom.testsupport;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real agent CLIs, installed once per machine from npm into a cache folder
 * ({@code ~/.cache/control-room-test/npm}, or the system property {@value #CACHE_PROPERTY}).
 * {@code install-agent-clis.sh} (test resources) does the same install for CI.
 *
 * <p>What the real packages do: {@code @anthropic-ai/claude-code} is a ~245 MB native binary that
 * a postinstall script links from a per-platform optional dependency (so no
 * {@code --ignore-scripts}, no {@code --omit=optional}); its newest releases need Node 22, and
 * {@value #CLAUDE_CODE_VERSION} is the newest that accepts Node 20. {@code @openai/codex} is a Node
 * launcher ({@code #!/usr/bin/env node}) for a ~294 MB musl binary, so {@code node} must be on
 * PATH when it runs. {@code @google/gemini-cli} (~100 MB, Node 20 is fine) and {@code opencode-ai}
 * (a launcher for a ~350 MB native binary, linked by its postinstall script like Claude Code's) run
 * their newest releases. {@code @qwen-code/qwen-code} (~55 MB) needs Node 22 from 0.21 on;
 * {@value #QWEN_CODE_VERSION} is the newest that accepts Node 20. A missing npm or a failed install
 * throws with npm's output: the real-CLI tests then fail, never skip.
 */
public final class AgentClis {
    public static final String CACHE_PROPERTY = "controlroom.cli.cache";
    public static final String CLAUDE_CODE_PACKAGE = "@anthropic-ai/claude-code";
    public static final String CLAUDE_CODE_VERSION = "2.1.197";
    public static final String CODEX_PACKAGE = "@openai/codex";
    public static final String CODEX_VERSION = "0.169.0";
    public static final String GEMINI_CLI_PACKAGE = "@google/gemini-cli";
    public static final String GEMINI_CLI_VERSION = "0.61.0";
    public static final String OPENCODE_PACKAGE = "opencode-ai";
    public static final String OPENCODE_VERSION = "1.18.33";
    public static final String QWEN_CODE_PACKAGE = "@qwen-code/qwen-code";
    public static final String QWEN_CODE_VERSION = "0.15.10";

    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");
    private static Path installedIn;

    private AgentClis() {
    }

    /** The {@code claude} executable, installing the CLIs first if needed. */
    public static Path claude() {
        return installed().resolve("node_modules/.bin/claude");
    }

    /** The {@code codex} executable, installing the CLIs first if needed. */
    public static Path codex() {
        return installed().resolve("node_modules/.bin/codex");
    }

    /** The {@code gemini} executable, installing the CLIs first if needed. */
    public static Path gemini() {
        return installed().resolve("node_modules/.bin/gemini");
    }

    /** The {@code opencode} executable, installing the CLIs first if needed. */
    public static Path opencode() {
        return installed().resolve("node_modules/.bin/opencode");
    }

    /** The {@code qwen} executable, installing the CLIs first if needed. */
    public static Path qwen() {
        return installed().resolve("node_modules/.bin/qwen");
    }

    /** The version an executable reports ({@code 2.1.197 (Claude Code)}, {@code codex-cli 0.169.0}): just the number. */
    public static String version(Path executable) {
        Run run = run(List.of(executable.toString(), "--version"), 60);
        Matcher matcher = VERSION.matcher(run.output());
        if (run.exitCode() != 0 || !matcher.find()) {
            throw new IllegalStateException(executable + " --version failed (exit " + run.exitCode() + "):\n" + run.output());
        }
        return matcher.group();
    }

    public static Path cacheDir() {
        return Optional.ofNullable(System.getProperty(CACHE_PROPERTY)).map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".cache", "control-room-test", "npm"));
    }

    private static synchronized Path installed() {
        if (installedIn == null) {
            Path dir = cacheDir();
            try {
                Files.createDirectories(dir);
                // Another JVM (a parallel build, the CI script) may be installing into the same folder.
                try (FileChannel lockFile = FileChannel.open(dir.resolve(".install.lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
                    lockFile.lock(); // released when the channel closes
                    if (!upToDate(dir)) {
                        install(dir);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot prepare the CLI cache folder " + dir, e);
            }
            installedIn = dir;
        }
        return installedIn;
    }

    private static boolean upToDate(Path dir) {
        return reports(dir.resolve("node_modules/.bin/claude"), CLAUDE_CODE_VERSION)
                && reports(dir.resolve("node_modules/.bin/codex"), CODEX_VERSION)
                && reports(dir.resolve("node_modules/.bin/gemini"), GEMINI_CLI_VERSION)
                && reports(dir.resolve("node_modules/.bin/opencode"), OPENCODE_VERSION)
                && reports(dir.resolve("node_modules/.bin/qwen"), QWEN_CODE_VERSION);
    }

    private static boolean reports(Path executable, String expected) {
        if (!Files.isExecutable(executable)) {
            return false;
        }
        try {
            return version(executable).equals(expected);
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static void install(Path dir) {
        List<String> command = List.of("npm", "install", "--prefix", dir.toString(), "--no-audit", "--no-fund",
                CLAUDE_CODE_PACKAGE + "@" + CLAUDE_CODE_VERSION, CODEX_PACKAGE + "@" + CODEX_VERSION,
                GEMINI_CLI_PACKAGE + "@" + GEMINI_CLI_VERSION, OPENCODE_PACKAGE + "@" + OPENCODE_VERSION,
                QWEN_CODE_PACKAGE + "@" + QWEN_CODE_VERSION);
        Run run = run(command, 900);
        if (run.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + run.exitCode() + "):\n"
                    + run.output());
        }
        if (!upToDate(dir)) {
            throw new IllegalStateException("npm installed the CLIs into " + dir + " but they do not report "
                    + String.join(" / ", CLAUDE_CODE_VERSION, CODEX_VERSION, GEMINI_CLI_VERSION, OPENCODE_VERSION,
                    QWEN_CODE_VERSION) + ":\n" + run.output());
        }
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(List<String> command, long timeoutSeconds) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.getFirst()
                    + " (Node.js 20+ and npm must be on PATH; CI runs install-agent-clis.sh): " + e.getMessage(), e);
        }
        try {
            CompletableFuture<String> output = new CompletableFuture<>();
            Thread.ofVirtual().name("cli-install-output").start(() -> {
                try {
                    output.complete(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.complete("(output unreadable: " + e.getMessage() + ")");
                }
            });
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Run(process.exitValue(), output.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
