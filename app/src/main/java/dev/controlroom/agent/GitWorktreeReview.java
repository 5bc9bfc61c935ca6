package dev.controlroom.agent;

import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.Severity;
import dev.controlroom.orchestrator.port.WorktreeReview;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@link WorktreeReview} with real git.
 *
 * <p>Uncommitted work counts: agents often leave their changes uncommitted, so the file list and
 * diffs are taken from a snapshot of the worktree as it is (tracked and new files, read through a
 * scratch index so the agent's own index is untouched), and merge or squash first commit what is
 * uncommitted on the task branch as "Control Room: changes of task X".
 *
 * <p>The user's checkout is never used to merge. The merge is made in a temporary detached
 * worktree at the base branch's tip, so a conflict can only ever touch that throwaway folder. When
 * it succeeds, the base branch moves to the new commit: by a compare-and-swap of the branch ref when
 * no checkout has the base branch, or by a fast-forward of the checkout that has it (refused up
 * front when that checkout has uncommitted changes to tracked files, since a person is working
 * there). Either way the base branch either gets the whole result or stays as it was.
 */
public final class GitWorktreeReview implements WorktreeReview {
    private static final int DIFF_CAP_BYTES = 512 * 1024;
    private static final int DIFF_MAX_LINES = 5000;
    private static final List<String> FALLBACK_IDENTITY = List.of("-c", "user.name=Control Room", "-c", "user.email=control-room@localhost");

    private final Consumer<Event> recorder;

    /** @param recorder stores each outcome in the event log */
    public GitWorktreeReview(Consumer<Event> recorder) {
        this.recorder = recorder;
    }

    @Override
    public Changes changes(Target target) throws IOException {
        Located at = locate(target);
        String base = baseBranch(at, target);
        String mergeBase = at.worktree.run("merge-base", "refs/heads/" + base, "HEAD").strip();
        int ahead = Integer.parseInt(at.worktree.run("rev-list", "--count", mergeBase + "..HEAD").strip());
        String snapshot = snapshot(at.worktree);
        int uncommitted = nulSeparated(at.worktree.run("diff", "--name-only", "-z", "HEAD", snapshot)).size();
        List<ChangedFile> files = changedFiles(at.worktree, mergeBase, snapshot);
        return new Changes(at.worktree.dir(), at.repository.dir(), base, target.branch(), mergeBase, snapshot, ahead, uncommitted, files);
    }

    @Override
    public FileDiff diff(Changes changes, ChangedFile file) throws IOException {
        if (file.binary()) {
            return new FileDiff(file.path(), true, false, List.of());
        }
        List<String> args = new ArrayList<>(List.of("diff", "-M", "--no-color", "--no-ext-diff", changes.mergeBase(), changes.snapshot(), "--"));
        file.oldPath().ifPresent(args::add);
        args.add(file.path());
        Git.Result r = Git.in(changes.worktree()).tryRun(DIFF_CAP_BYTES, args.toArray(String[]::new));
        if (!r.ok()) {
            throw new IOException("git could not show the diff of " + file.path() + ": " + r.output().strip());
        }
        List<String> lines = new ArrayList<>(Arrays.asList(r.output().split("\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        boolean truncated = r.truncated();
        if (truncated) {
            lines.removeLast(); // cut mid-line by the byte cap
        }
        if (lines.size() > DIFF_MAX_LINES) {
            lines = new ArrayList<>(lines.subList(0, DIFF_MAX_LINES));
            truncated = true;
        }
        return new FileDiff(file.path(), false, truncated, lines);
    }

    @Override
    public Outcome merge(Target target, boolean squash) throws IOException {
        String verb = squash ? "squash" : "merge";
        try {
            Outcome outcome = mergeInto(target, squash);
            record(target, squash ? EventType.TASK_SQUASHED : EventType.TASK_MERGED, Severity.INFO, outcome.message(), outcome.commit());
            return outcome;
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) {
                record(target, EventType.TASK_MERGE_REFUSED, Severity.WARNING, "could not " + verb + " task " + target.taskKey() + ": "
                        + e.getMessage(), Optional.empty());
            }
            throw e;
        }
    }

    private Outcome mergeInto(Target target, boolean squash) throws IOException {
        Changes changes = changes(target);
        String base = changes.baseBranch();
        if (changes.files().isEmpty()) {
            throw new IOException("task " + target.taskKey() + " has not changed any file against " + base + "; there is nothing to merge");
        }
        Git worktree = Git.in(changes.worktree());
        Git repo = Git.in(changes.repository());
        List<String> identity = identity(repo);
        Optional<Path> checkout = checkoutOf(repo, base);
        if (checkout.isPresent()) {
            String dirty = Git.in(checkout.get()).run("status", "--porcelain", "--untracked-files=no").strip();
            if (!dirty.isEmpty()) {
                throw new IOException("the checkout at " + checkout.get() + " has " + base + " checked out and uncommitted changes ("
                        + dirty.lines().count() + " files); commit or stash them there, then merge again");
            }
        }
        if (changes.uncommittedFiles() > 0) {
            worktree.run("add", "-A");
            worktree.run(with(identity, "commit", "-q", "--no-verify", "-m", "Control Room: changes of task " + target.taskKey()));
        }
        String taskTip = worktree.run("rev-parse", "HEAD").strip();
        String oldTip = repo.run("rev-parse", "refs/heads/" + base).strip();
        String message = squash
                ? "Task " + target.taskKey() + " of run " + target.runId() + " (squashed by Control Room)\n\n"
                  + repo.run("log", "--reverse", "--format=- %s", oldTip + ".." + taskTip)
                : "Merge task " + target.taskKey() + " of run " + target.runId() + " (branch " + target.branch() + ")";
        Path scratch = Files.createTempDirectory("cr-merge-");
        try {
            repo.run("worktree", "add", "--detach", scratch.toString(), oldTip);
            Git temp = Git.in(scratch);
            Git.Result merged = squash
                    ? temp.tryRun(with(identity, "merge", "--squash", taskTip))
                    : temp.tryRun(with(identity, "merge", "--no-ff", "--no-verify", "-m", message, taskTip));
            if (!merged.ok()) {
                List<String> conflicts = temp.run("diff", "--name-only", "--diff-filter=U").lines().filter(l -> !l.isBlank()).toList();
                if (!conflicts.isEmpty()) {
                    throw new ConflictException("task " + target.taskKey() + " conflicts with " + base + " in " + conflicts.size()
                            + (conflicts.size() == 1 ? " file: " : " files: ") + String.join(", ", conflicts) + "; " + base
                            + " was left as it was", conflicts);
                }
                throw new IOException("git could not " + (squash ? "squash" : "merge") + " task " + target.taskKey() + " into " + base + ": "
                        + merged.output().strip());
            }
            if (squash) {
                if (temp.tryRun("diff", "--cached", "--quiet").ok()) {
                    throw new IOException("the changes of task " + target.taskKey() + " are already in " + base + "; there is nothing to squash");
                }
                temp.run(with(identity, "commit", "-q", "--no-verify", "-m", message));
            }
            String newTip = temp.run("rev-parse", "HEAD").strip();
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("cancelled before " + base + " was changed");
            }
            if (checkout.isPresent()) {
                Git.Result ff = Git.in(checkout.get()).tryRun("merge", "--ff-only", "-q", newTip);
                if (!ff.ok()) {
                    throw new IOException("could not move the checkout at " + checkout.get() + " to the merged " + base + ": "
                            + ff.output().strip());
                }
            } else {
                repo.run("update-ref", "-m", "Control Room: " + (squash ? "squash" : "merge") + " task " + target.taskKey(),
                        "refs/heads/" + base, newTip, oldTip);
            }
            String shortId = newTip.substring(0, 8);
            return new Outcome((squash ? "Squashed" : "Merged") + " task " + target.taskKey() + " into " + base + " as " + shortId
                    + (changes.uncommittedFiles() > 0 ? " (its uncommitted changes were committed on " + target.branch() + " first)" : ""),
                    Optional.of(newTip));
        } finally {
            removeScratch(repo, scratch);
        }
    }

    @Override
    public Outcome discard(Target target) throws IOException {
        if (!target.branch().startsWith("cr/")) {
            throw new IOException("branch " + target.branch() + " was not made by Control Room; it is not deleted from here");
        }
        Located at = locate(target);
        Path top = at.worktree.dir();
        if (top.equals(at.repository.dir())) {
            throw new IOException(top + " is the repository's main checkout, not a task worktree; nothing was removed");
        }
        at.repository.run("worktree", "remove", "--force", top.toString());
        at.repository.run("branch", "-D", target.branch());
        Outcome outcome = new Outcome("Discarded task " + target.taskKey() + ": removed its worktree " + top + " and deleted branch "
                + target.branch(), Optional.empty());
        record(target, EventType.TASK_DISCARDED, Severity.INFO, outcome.message(), Optional.empty());
        return outcome;
    }

    // ------------------------------------------------------------------------------------ helpers

    /** The task's worktree and the main repository it belongs to. */
    private record Located(Git worktree, Git repository) {
    }

    private static Located locate(Target target) throws IOException {
        Path dir = target.workingDir();
        if (!Files.isDirectory(dir)) {
            throw new IOException("the worktree of task " + target.taskKey() + " is gone (" + dir + " no longer exists)");
        }
        Git.Result top = Git.in(dir).tryRun("rev-parse", "--show-toplevel");
        if (!top.ok()) {
            throw new IOException(dir + " is not inside a git worktree");
        }
        Git worktree = Git.in(Path.of(top.output().strip()));
        String branch = worktree.run("rev-parse", "--abbrev-ref", "HEAD").strip();
        if (!branch.equals(target.branch())) {
            throw new IOException("the worktree " + worktree.dir() + " is on " + branch + ", not on the task's branch " + target.branch());
        }
        Path common = Path.of(worktree.run("rev-parse", "--path-format=absolute", "--git-common-dir").strip());
        if (!common.getFileName().toString().equals(".git")) {
            throw new IOException("the repository of " + worktree.dir() + " (" + common + ") is bare; merging needs a repository with a checkout");
        }
        return new Located(worktree, Git.in(common.getParent()));
    }

    private static String baseBranch(Located at, Target target) throws IOException {
        String base;
        if (target.baseBranch().isPresent()) {
            base = target.baseBranch().get();
        } else {
            Git.Result head = at.repository.tryRun("symbolic-ref", "--short", "HEAD");
            if (!head.ok()) {
                throw new IOException("the main checkout " + at.repository.dir() + " is not on a branch, and task " + target.taskKey()
                        + " names no base branch; set context.branch in the plan");
            }
            base = head.output().strip();
        }
        if (!at.repository.tryRun("rev-parse", "--verify", "--quiet", "refs/heads/" + base).ok()) {
            throw new IOException("the base branch " + base + " of task " + target.taskKey() + " does not exist in " + at.repository.dir());
        }
        return base;
    }

    /**
     * The worktree as it is, committed or not, as a tree id: the real index is copied to a scratch
     * file (so unchanged files are not hashed again) and every change, new files included, is added there.
     */
    private static String snapshot(Git worktree) throws IOException {
        Path index = Path.of(worktree.run("rev-parse", "--path-format=absolute", "--git-path", "index").strip());
        Path scratch = Files.createTempFile("cr-review-index-", "");
        try {
            Git scratchGit = worktree.with(Map.of("GIT_INDEX_FILE", scratch.toString()));
            if (Files.isRegularFile(index)) {
                Files.copy(index, scratch, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.delete(scratch);
                scratchGit.run("read-tree", "HEAD");
            }
            scratchGit.run("add", "-A");
            return scratchGit.run("write-tree").strip();
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    private static List<ChangedFile> changedFiles(Git worktree, String mergeBase, String snapshot) throws IOException {
        List<String> status = nulSeparated(worktree.run("diff", "-M", "--name-status", "-z", mergeBase, snapshot));
        List<String> numstat = nulSeparated(worktree.run("diff", "-M", "--numstat", "-z", mergeBase, snapshot));
        Map<String, int[]> counts = new HashMap<>();
        Map<String, Boolean> binary = new HashMap<>();
        for (int i = 0; i < numstat.size(); i++) {
            String[] parts = numstat.get(i).split("\t", 3);
            String path = parts[2];
            if (path.isEmpty()) {
                path = numstat.get(i + 2); // a rename: "added\tremoved\t" then old and new path
                i += 2;
            }
            boolean isBinary = parts[0].equals("-");
            binary.put(path, isBinary);
            counts.put(path, isBinary ? new int[]{0, 0} : new int[]{Integer.parseInt(parts[0]), Integer.parseInt(parts[1])});
        }
        List<ChangedFile> files = new ArrayList<>();
        for (int i = 0; i < status.size(); i++) {
            String code = status.get(i);
            Optional<String> oldPath = Optional.empty();
            String path;
            if (code.startsWith("R") || code.startsWith("C")) {
                oldPath = Optional.of(status.get(i + 1));
                path = status.get(i + 2);
                i += 2;
            } else {
                path = status.get(++i);
            }
            Status s = switch (code.charAt(0)) {
                case 'A', 'C' -> Status.ADDED;
                case 'D' -> Status.DELETED;
                case 'R' -> Status.RENAMED;
                default -> Status.MODIFIED;
            };
            int[] c = counts.getOrDefault(path, new int[]{0, 0});
            files.add(new ChangedFile(path, oldPath, s, c[0], c[1], binary.getOrDefault(path, false)));
        }
        files.sort(Comparator.comparing(ChangedFile::path));
        return files;
    }

    private static List<String> nulSeparated(String out) {
        return Stream.of(out.split("\0")).filter(s -> !s.isEmpty()).toList();
    }

    /** Where {@code base} is checked out, if anywhere (the main checkout or another worktree). */
    private static Optional<Path> checkoutOf(Git repo, String base) throws IOException {
        Optional<Path> current = Optional.empty();
        for (String line : repo.run("worktree", "list", "--porcelain").split("\n")) {
            if (line.startsWith("worktree ")) {
                current = Optional.of(Path.of(line.substring("worktree ".length())));
            } else if (line.equals("branch refs/heads/" + base)) {
                return current;
            }
        }
        return Optional.empty();
    }

    /** Commits need an author; a machine without a git identity gets Control Room's own. */
    private static List<String> identity(Git repo) throws IOException {
        return repo.tryRun("var", "GIT_COMMITTER_IDENT").ok() && repo.tryRun("var", "GIT_AUTHOR_IDENT").ok() ? List.of() : FALLBACK_IDENTITY;
    }

    private static String[] with(List<String> identity, String... args) {
        List<String> all = new ArrayList<>(identity);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** Removes the temporary merge worktree even when the merge was cancelled: git must be allowed to run for that. */
    private static void removeScratch(Git repo, Path scratch) {
        boolean interrupted = Thread.interrupted();
        try {
            repo.tryRun("worktree", "remove", "--force", scratch.toString());
            if (Files.exists(scratch)) {
                try (Stream<Path> all = Files.walk(scratch)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            repo.tryRun("worktree", "prune");
        } catch (IOException e) {
            java.util.logging.Logger.getLogger(GitWorktreeReview.class.getName())
                    .warning("could not remove the temporary merge worktree " + scratch + ": " + e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void record(Target target, EventType type, Severity severity, String message, Optional<String> commit) {
        java.util.Map<String, String> payload = new java.util.LinkedHashMap<>();
        payload.put("branch", target.branch());
        commit.ifPresent(c -> payload.put("commit", c));
        recorder.accept(Event.draft(type, severity, message).withRun(target.runId()).withTask(target.taskId()).withPayload(payload));
    }
}
