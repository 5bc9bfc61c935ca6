package dev.controlroom.orchestrator.port;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How a person reviews what a task changed in its own git worktree and brings it back: the list
 * of changed files, a file's diff, merge or squash into the base branch, discard. The UI talks to
 * this port, as the engine talks to {@link AgentRuntime}; the agent package implements it with
 * real git. Every method blocks (git can take seconds): call it off the FX thread. A call whose
 * thread is interrupted stops its git process and leaves nothing half-done.
 */
public interface WorktreeReview {

    /**
     * Which task to review: where its newest session worked, on which branch, and the base branch
     * the plan asked for (empty: the branch the main checkout is on).
     */
    record Target(String runId, long taskId, String taskKey, Path workingDir, String branch, Optional<String> baseBranch) {
    }

    /** How a file changed against the base. */
    enum Status {
        ADDED("A"), MODIFIED("M"), DELETED("D"), RENAMED("R");

        private final String letter;

        Status(String letter) {
            this.letter = letter;
        }

        public String letter() {
            return letter;
        }
    }

    /** One changed file; {@code added}/{@code removed} are 0 for binary files. */
    record ChangedFile(String path, Optional<String> oldPath, Status status, int added, int removed, boolean binary) {
    }

    /**
     * What the task changed against the merge base with its base branch, committed or not.
     *
     * @param snapshot         the tree of the worktree as it was read, committed or not: diffs are taken against it
     * @param uncommittedFiles files changed in the worktree but not committed on the task branch
     *                         (merge and squash commit them first)
     */
    record Changes(Path worktree, Path repository, String baseBranch, String taskBranch, String mergeBase, String snapshot, int commitsAhead,
                   int uncommittedFiles, List<ChangedFile> files) {
        public Changes {
            files = List.copyOf(files);
        }
    }

    /** A file's unified diff, cut at a size a person can read; binary files have no lines. */
    record FileDiff(String path, boolean binary, boolean truncated, List<String> lines) {
        public FileDiff {
            lines = List.copyOf(lines);
        }
    }

    /** What a merge, squash or discard did, in words, and the commit it made on the base (empty for discard). */
    record Outcome(String message, Optional<String> commit) {
    }

    /** The merge stopped at conflicts; the base branch was left as it was. */
    final class ConflictException extends IOException {
        private final List<String> files;

        public ConflictException(String message, List<String> files) {
            super(message);
            this.files = List.copyOf(files);
        }

        public List<String> files() {
            return files;
        }
    }

    /** Changed files of the task against its base, including changes not committed yet. */
    Changes changes(Target target) throws IOException;

    /** The unified diff of one changed file against the merge base. */
    FileDiff diff(Changes changes, ChangedFile file) throws IOException;

    /**
     * Brings the task's changes into its base branch: {@code squash} makes one commit, otherwise a
     * {@code --no-ff} merge commit names the task and the run. Uncommitted changes in the task's
     * worktree are committed on the task branch first. Recorded as an event.
     *
     * @throws ConflictException when the changes conflict with the base (nothing is changed then)
     */
    Outcome merge(Target target, boolean squash) throws IOException;

    /** Removes the task's worktree and deletes its branch. Recorded as an event. */
    Outcome discard(Target target) throws IOException;
}
