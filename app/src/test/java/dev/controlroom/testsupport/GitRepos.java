package dev.controlroom.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real git repositories for tests. */
public final class GitRepos {
    private GitRepos() {
    }

    /** Runs git in {@code repo} with a test identity; fails with git's output when git does. */
    public static void git(Path repo, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString(), "-c", "user.name=t", "-c", "user.email=t@t"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
        }
    }

    /** A repository at {@code dir} on branch main with one commit of a README. */
    public static Path withOneCommit(Path dir) throws Exception {
        Path repo = Files.createDirectories(dir);
        git(repo, "init", "-q", "-b", "main");
        Files.writeString(repo.resolve("README.md"), "project\n");
        git(repo, "add", "README.md");
        git(repo, "commit", "-q", "-m", "first");
        return repo;
    }
}
