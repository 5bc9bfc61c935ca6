package dev.controlroom.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Git worktrees for tasks: each task that asks for one works on its own branch in its own folder,
 * so agents never step on each other. Worktrees are never deleted here: they stay until a person
 * merges or discards the result.
 */
public final class Worktrees {
    private static final long GIT_TIMEOUT_SECONDS = 60;

    private final Path root;

    /** @param root the folder under which worktrees are made, one sub-folder per repository and run */
    public Worktrees(Path root) {
        this.root = root;
    }

    /** Where a task's worktree goes: {@code root/<repo>-<hash>/<run>/<task>}. */
    public Path pathFor(Path repo, String runId, String taskKey) {
        Path top = repo.toAbsolutePath().normalize();
        String name = top.getFileName() == null ? "repo" : top.getFileName().toString();
        return root.resolve(name + "-" + shortHash(top.toString())).resolve(runId).resolve(taskKey);
    }

    /** The branch of a task's worktree. */
    public static String branchFor(String runId, String taskKey) {
        return "cr/" + runId + "/" + taskKey;
    }

    /**
     * Makes (or, when it is there already from an earlier attempt, reuses) the task's worktree on
     * its branch, started from {@code base} (default: the repository's current HEAD), and copies
     * the listed files (e.g. {@code .env}, which git does not track) into it.
     *
     * @return the worktree folder
     * @throws IOException naming the repository and git's own message when git refuses
     */
    public Path prepare(Path repo, Optional<String> base, String branch, Path worktree, List<String> copyFiles) throws IOException {
        for (String name : base.isPresent() ? List.of(base.get(), branch) : List.of(branch)) {
            if (name.startsWith("-")) {
                throw new IOException("branch '" + name + "' starts with '-', which git would read as an option");
            }
        }
        Path top = topLevel(repo);
        if (Files.isDirectory(worktree.resolve(".git"), LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(worktree.resolve(".git"))) {
            String current = git(worktree, "rev-parse", "--abbrev-ref", "HEAD").strip();
            if (!current.equals(branch)) {
                throw new IOException("worktree " + worktree + " is on branch " + current + ", expected " + branch);
            }
        } else {
            dev.controlroom.domain.PrivateFiles.createFolders(worktree.getParent());
            boolean branchExists = !gitAllowFailure(top, "rev-parse", "--verify", "--quiet", "refs/heads/" + branch).isBlank();
            List<String> args = new ArrayList<>(List.of("worktree", "add"));
            if (branchExists) {
                args.addAll(List.of(worktree.toString(), branch));
            } else {
                args.addAll(List.of("-b", branch, worktree.toString(), base.orElse("HEAD")));
            }
            git(top, args.toArray(String[]::new));
        }
        for (String file : copyFiles) {
            Path from = top.resolve(file).normalize();
            if (!from.startsWith(top)) {
                throw new IOException("file to copy " + file + " is outside the repository " + top);
            }
            if (!Files.exists(from)) {
                throw new IOException("file to copy " + from + " does not exist");
            }
            Path real = from.toRealPath();
            if (!real.startsWith(top.toRealPath())) {
                throw new IOException("file to copy " + file + " is a link to " + real + ", outside the repository " + top);
            }
            Path to = worktree.resolve(file).normalize();
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return worktree;
    }

    /** The commit the worktree's branch started from: where it forked from its base (or HEAD's parent line). */
    public static String baseCommit(Path worktree, Optional<String> base) throws IOException {
        String ref = base.orElse("HEAD");
        String mergeBase = gitAllowFailure(worktree, "merge-base", "HEAD", ref).strip();
        return mergeBase.isEmpty() ? git(worktree, "rev-parse", "HEAD").strip() : mergeBase;
    }

    /** The repository's top folder; fails with a clear message when the folder is not in a git repository. */
    public static Path topLevel(Path repo) throws IOException {
        if (!Files.isDirectory(repo)) {
            throw new IOException("repository folder " + repo + " does not exist");
        }
        String out = gitAllowFailure(repo, "rev-parse", "--show-toplevel");
        if (out.isBlank()) {
            throw new IOException(repo + " is not inside a git repository");
        }
        return Path.of(out.strip());
    }

    /**
     * A fingerprint of the worktree's changes against {@code base} (tracked diffs and untracked
     * files): equal fingerprints after two iterations mean the agent changed nothing.
     */
    public static String changeFingerprint(Path worktree, String base) throws IOException {
        String diff = git(worktree, "diff", "--no-color", "--binary", base, "--");
        String untracked = git(worktree, "ls-files", "--others", "--exclude-standard", "-z");
        StringBuilder all = new StringBuilder(diff).append('\0').append(untracked);
        for (String file : untracked.split("\0")) {
            if (!file.isEmpty()) {
                Path p = worktree.resolve(file);
                if (Files.isRegularFile(p) && Files.size(p) < 4_000_000) {
                    all.append(file).append('\0').append(shortHash(Files.readString(p, StandardCharsets.ISO_8859_1)));
                }
            }
        }
        return shortHash(all.toString());
    }

    static String git(Path dir, String... args) throws IOException {
        Result r = run(dir, args);
        if (r.exit != 0) {
            throw new IOException("git " + String.join(" ", args) + " in " + dir + " failed: " + r.output.strip());
        }
        return r.output;
    }

    private static String gitAllowFailure(Path dir, String... args) throws IOException {
        Result r = run(dir, args);
        return r.exit == 0 ? r.output : "";
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("git " + String.join(" ", args) + " in " + dir + " did not finish within " + GIT_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running git", e);
        }
        return new Result(p.exitValue(), out);
    }

    static String shortHash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
