package dev.controlroom.agent;

import dev.controlroom.domain.Event;
import dev.controlroom.orchestrator.port.WorktreeReview;
import dev.controlroom.orchestrator.port.WorktreeReview.ChangedFile;
import dev.controlroom.orchestrator.port.WorktreeReview.Status;
import dev.controlroom.testsupport.GitRepos;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GitWorktreeReviewTest {
    @TempDir
    Path dir;
    private Path repo;
    private Path worktree;
    private WorktreeReview.Target target;
    private final List<Event> events = new ArrayList<>();
    private final GitWorktreeReview review = new GitWorktreeReview(events::add);

    /** A repository on main and a task worktree with one committed change and one new file left uncommitted. */
    @BeforeEach
    void taskWithCommittedAndUncommittedChanges() throws Exception {
        repo = GitRepos.withOneCommit(dir.resolve("repo"));
        Files.writeString(repo.resolve("Main.java"), "class Main {\n    int a = 1;\n}\n");
        GitRepos.git(repo, "add", "Main.java");
        GitRepos.git(repo, "commit", "-q", "-m", "main class");
        String branch = Worktrees.branchFor("run1", "fix");
        worktree = new Worktrees(dir.resolve("wt")).prepare(repo, Optional.of("main"), branch,
                dir.resolve("wt").resolve("fix"), List.of());
        Files.writeString(worktree.resolve("Main.java"), "class Main {\n    int a = 2;\n    int b = 3;\n}\n");
        GitRepos.git(worktree, "commit", "-q", "-am", "agent edit");
        Files.writeString(worktree.resolve("notes.md"), "# Notes\nuncommitted\n");
        target = new WorktreeReview.Target("run1", 7, "fix", worktree, branch, Optional.of("main"));
    }

    private String git(Path where, String... args) throws IOException {
        return Git.in(where).run(args).strip();
    }

    @Test
    void changesListCommittedAndUncommittedFilesWithLineCounts() throws Exception {
        WorktreeReview.Changes changes = review.changes(target);

        assertEquals("main", changes.baseBranch());
        assertEquals(1, changes.commitsAhead());
        assertEquals(1, changes.uncommittedFiles());
        assertEquals(List.of(
                new ChangedFile("Main.java", Optional.empty(), Status.MODIFIED, 2, 1, false),
                new ChangedFile("notes.md", Optional.empty(), Status.ADDED, 2, 0, false)), changes.files());
        assertEquals("", git(worktree, "diff", "--cached", "--name-only"), "the agent's own index is untouched");
    }

    @Test
    void diffOfAFileIsUnifiedAndBinaryFilesAreNamedNotShown() throws Exception {
        Files.write(worktree.resolve("logo.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0, 1, 2, 0, 3});
        WorktreeReview.Changes changes = review.changes(target);

        WorktreeReview.FileDiff diff = review.diff(changes, changes.files().stream().filter(f -> f.path().equals("Main.java")).findFirst().orElseThrow());
        ChangedFile logo = changes.files().stream().filter(f -> f.path().equals("logo.png")).findFirst().orElseThrow();

        assertTrue(diff.lines().contains("-    int a = 1;"), diff.lines().toString());
        assertTrue(diff.lines().contains("+    int b = 3;"));
        assertTrue(diff.lines().stream().anyMatch(l -> l.startsWith("@@ ")));
        assertTrue(logo.binary());
        assertTrue(review.diff(changes, logo).binary());
        assertTrue(review.diff(changes, logo).lines().isEmpty());
    }

    @Test
    void mergeCommitsUncommittedWorkThenLandsANoFastForwardMergeOnTheBase() throws Exception {
        WorktreeReview.Outcome outcome = review.merge(target, false);

        assertEquals("class Main {\n    int a = 2;\n    int b = 3;\n}\n", git(repo, "show", "main:Main.java") + "\n");
        assertEquals("# Notes\nuncommitted", git(repo, "show", "main:notes.md"));
        assertEquals(3, git(repo, "rev-list", "--parents", "-n", "1", "main").split(" ").length, "a merge commit has two parents");
        assertTrue(git(repo, "log", "-1", "--format=%s", "main").contains("task fix of run run1"));
        assertEquals("Control Room: changes of task fix", git(repo, "log", "-1", "--format=%s", "main^2"));
        assertTrue(Files.exists(repo.resolve("notes.md")), "the clean checkout of main moved with its branch");
        assertEquals("", git(repo, "status", "--porcelain"));
        assertEquals(outcome.commit().orElseThrow(), git(repo, "rev-parse", "main"));
        assertEquals(2, git(repo, "worktree", "list").lines().count(), "the temporary merge worktree is gone");
        assertEquals("task_merged", events.getLast().type().id());
    }

    @Test
    void squashLandsOneCommitWithOneParent() throws Exception {
        String before = git(repo, "rev-parse", "main");

        review.merge(target, true);

        assertEquals("1", git(repo, "rev-list", "--count", before + "..main"));
        assertEquals(2, git(repo, "rev-list", "--parents", "-n", "1", "main").split(" ").length);
        assertEquals("# Notes\nuncommitted", git(repo, "show", "main:notes.md"));
        assertTrue(git(repo, "log", "-1", "--format=%B", "main").contains("- agent edit"));
        assertEquals("task_squashed", events.getLast().type().id());
    }

    @Test
    void conflictIsRefusedListingTheFilesAndLeavesTheBaseUntouched() throws Exception {
        Files.writeString(repo.resolve("Main.java"), "class Main {\n    int a = 9;\n}\n");
        GitRepos.git(repo, "commit", "-q", "-am", "someone else");
        String before = git(repo, "rev-parse", "main");

        var conflict = assertThrows(WorktreeReview.ConflictException.class, () -> review.merge(target, false));

        assertEquals(List.of("Main.java"), conflict.files());
        assertEquals(before, git(repo, "rev-parse", "main"));
        assertEquals("", git(repo, "status", "--porcelain"));
        assertEquals(2, git(repo, "worktree", "list").lines().count());
        assertEquals("task_merge_refused", events.getLast().type().id());
    }

    @Test
    void dirtyCheckoutOfTheBaseIsRefusedBeforeAnythingChanges() throws Exception {
        Files.writeString(repo.resolve("README.md"), "being edited\n", StandardCharsets.UTF_8);
        String before = git(repo, "rev-parse", "main");

        var e = assertThrows(IOException.class, () -> review.merge(target, false));

        assertTrue(e.getMessage().contains("uncommitted changes"), e.getMessage());
        assertEquals(before, git(repo, "rev-parse", "main"));
        assertEquals(1, review.changes(target).uncommittedFiles(), "the task's work was not committed either");
    }

    @Test
    void baseNotCheckedOutMovesOnlyTheBranchAndLeavesTheUsersCheckoutAlone() throws Exception {
        GitRepos.git(repo, "switch", "-q", "-c", "elsewhere");

        review.merge(target, false);

        assertEquals("# Notes\nuncommitted", git(repo, "show", "main:notes.md"));
        assertEquals("elsewhere", git(repo, "rev-parse", "--abbrev-ref", "HEAD"));
        assertFalse(Files.exists(repo.resolve("notes.md")));
        assertEquals("", git(repo, "status", "--porcelain"));
    }

    @Test
    void discardRemovesTheWorktreeAndDeletesTheBranch() throws Exception {
        review.discard(target);

        assertFalse(Files.exists(worktree));
        assertEquals("", git(repo, "branch", "--list", target.branch()));
        assertEquals("task_discarded", events.getLast().type().id());
        var gone = assertThrows(IOException.class, () -> review.changes(target));
        assertTrue(gone.getMessage().contains("is gone"), gone.getMessage());
    }

    @Test
    void aTaskWithoutChangesHasNothingToMerge() throws Exception {
        GitRepos.git(worktree, "reset", "-q", "--hard", "main");
        Files.delete(worktree.resolve("notes.md"));

        assertTrue(review.changes(target).files().isEmpty());
        var e = assertThrows(IOException.class, () -> review.merge(target, true));
        assertTrue(e.getMessage().contains("has not changed any file"), e.getMessage());
    }
}
