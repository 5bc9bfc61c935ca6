package dev.controlroom.agent;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Signs that a session works although it prints nothing: the watchdog asks for them once a
 * session has been silent for its threshold.
 *
 * <p>For an AI agent, a process the agent started (a tool: a build, a test run, a {@code sleep})
 * still running is work, however little CPU it uses; the agent's own process is not, nor the
 * wrappers it was started through (an npm shim such as {@code node codex.js} in front of the
 * native binary, {@code npx}, {@code sh -c}, {@code env}). Those are found by walking down from
 * the session's process: through wrappers with a single child, then through single children that
 * are the agent's CLI again (a launcher starting its native binary, a CLI relaunching itself).
 * Everything below that chain is a tool. For a shell command every process is the task's own
 * work, so CPU any of them used since the last look is the sign.
 */
public final class WorkSigns {
    /** Programs that only start another one. */
    private static final Set<String> WRAPPERS = Set.of("sh", "bash", "dash", "zsh", "ksh", "fish", "env", "timeout", "nice", "nohup",
            "stdbuf", "setsid", "script", "npx", "npm", "pnpm", "yarn", "bunx", "uv", "uvx", "pipx", "cmd", "powershell", "pwsh", "exec");
    /** Interpreters: what they run is named by their first argument that is not an option. */
    private static final Set<String> INTERPRETERS = Set.of("node", "nodejs", "bun", "deno", "python", "python3", "ruby", "perl");
    /** Shells run a script (an agent written as a shell script) or a command line ({@code -c}), named by that argument. */
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ksh", "fish");
    /** Scripts that are package runners rather than programs (npx, npm exec, yarn dlx ...). */
    private static final Set<String> RUNNER_SCRIPTS = Set.of("npx-cli", "npm-cli", "npx", "npm", "yarn", "pnpm", "corepack");
    private static final int MAX_FILES_LOOKED_AT = 50_000;
    private static final Duration MAX_FILE_LOOK = Duration.ofMillis(300);

    private final Set<String> agentNames;
    private final Map<Long, Duration> cpuSeen = new HashMap<>();

    /**
     * @param agentNames the names the agent's CLI goes by (its executable's name, the profile's
     *                   command); empty for a shell command
     */
    public WorkSigns(Set<String> agentNames) {
        this.agentNames = Set.copyOf(agentNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList());
    }

    /** The names to know an agent's CLI by: the file name of the command it is started with, and the profile's command. */
    public static Set<String> namesFor(String executable, Optional<String> profileCommand) {
        Set<String> names = new LinkedHashSet<>();
        String base = baseName(executable);
        if (!base.isEmpty() && !WRAPPERS.contains(base) && !INTERPRETERS.contains(base)) {
            names.add(base);
        }
        profileCommand.ifPresent(names::add);
        return names;
    }

    /** A sign of work from the processes under {@code root}, or empty. */
    public synchronized Optional<String> processSign(long root) {
        Optional<ProcessHandle> handle = ProcessHandle.of(root).filter(ProcessTree::isRunning);
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        return agentNames.isEmpty() ? cpuSign(handle.get()) : toolSign(handle.get());
    }

    /** A process below the agent's own that is still running. */
    private Optional<String> toolSign(ProcessHandle root) {
        Set<Long> own = agentChain(root);
        return root.descendants().filter(p -> !own.contains(p.pid())).filter(ProcessTree::isRunning).findFirst()
                .map(p -> "a process the agent started is running: " + describe(p));
    }

    /** The session's process, the wrappers under it and the agent's own process(es): everything that is not a tool. */
    Set<Long> agentChain(ProcessHandle root) {
        Set<Long> chain = new LinkedHashSet<>();
        ProcessHandle p = root;
        while (true) {
            chain.add(p.pid());
            List<ProcessHandle> kids = liveChildren(p);
            boolean agent = isAgent(p);
            if (kids.size() == 1 && (agent ? isAgent(kids.getFirst()) : isWrapper(p))) {
                p = kids.getFirst();
                continue;
            }
            if (!agent && isWrapper(p)) {
                // a wrapper with no single child: its children, if any, may be the agent and its launcher
                for (ProcessHandle k : kids) {
                    if (isAgent(k)) {
                        chain.addAll(agentChain(k));
                    }
                }
            }
            return chain;
        }
    }

    private static List<ProcessHandle> liveChildren(ProcessHandle p) {
        return p.children().filter(ProcessTree::isRunning).toList();
    }

    private boolean isAgent(ProcessHandle p) {
        String program = program(p);
        for (String name : agentNames) {
            if (program.contains(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWrapper(ProcessHandle p) {
        String exe = baseName(p.info().command().orElse(""));
        if (WRAPPERS.contains(exe)) {
            return true;
        }
        return INTERPRETERS.contains(exe) && RUNNER_SCRIPTS.contains(baseName(script(p).orElse("")));
    }

    /**
     * What a process runs, in lower case: its executable's path, and for an interpreter the script
     * it runs ({@code node /…/@openai/codex/bin/codex.js}).
     */
    private static String program(ProcessHandle p) {
        String exe = p.info().command().orElse("");
        String base = baseName(exe);
        String out = exe;
        if (INTERPRETERS.contains(base) || SHELLS.contains(base)) {
            out = out + " " + script(p).orElse("");
        }
        return out.toLowerCase(Locale.ROOT);
    }

    private static Optional<String> script(ProcessHandle p) {
        String[] args = p.info().arguments().orElse(new String[0]);
        for (String a : args) {
            if (!a.startsWith("-")) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    static String baseName(String path) {
        String name = path.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        for (String ext : List.of(".exe", ".cmd", ".bat", ".js", ".mjs", ".cjs", ".ps1")) {
            if (name.endsWith(ext)) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }

    private static String describe(ProcessHandle p) {
        String line = p.info().commandLine().or(() -> p.info().command()).orElse("?");
        return (line.length() > 120 ? line.substring(0, 120) + "…" : line) + " (pid " + p.pid() + ")";
    }

    /** CPU used by any process of the command since the last look; the first look only takes note. */
    private Optional<String> cpuSign(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        root.descendants().forEach(all::add);
        boolean firstLook = cpuSeen.isEmpty();
        Optional<String> sign = Optional.empty();
        Map<Long, Duration> now = new HashMap<>();
        for (ProcessHandle p : all) {
            Duration cpu = ProcessTree.cpuIncludingChildren(p);
            now.put(p.pid(), cpu);
            if (!firstLook && sign.isEmpty() && cpu.compareTo(cpuSeen.getOrDefault(p.pid(), Duration.ZERO)) > 0) {
                sign = Optional.of("the command used CPU: " + describe(p));
            }
        }
        cpuSeen.clear();
        cpuSeen.putAll(now);
        return sign;
    }

    /**
     * A file under {@code dir} written after {@code since} (git's own folder left out), or empty.
     * Looks at no more than {@value #MAX_FILES_LOOKED_AT} entries and for no longer than a moment.
     */
    public static Optional<Path> fileChangedSince(Path dir, Instant since) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + MAX_FILE_LOOK.toNanos();
        Path[] found = new Path[1];
        int[] seen = new int[1];
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (!d.equals(dir) && d.getFileName().toString().equals(".git")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return ++seen[0] > MAX_FILES_LOOKED_AT || System.nanoTime() > deadline ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    return visit(f, attrs);
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE; // deleted meanwhile, or not ours to read
                }

                private FileVisitResult visit(Path f, BasicFileAttributes attrs) {
                    if (attrs.lastModifiedTime().toInstant().isAfter(since)) {
                        found[0] = f;
                        return FileVisitResult.TERMINATE;
                    }
                    return ++seen[0] > MAX_FILES_LOOKED_AT || System.nanoTime() > deadline ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(found[0]);
    }
}
