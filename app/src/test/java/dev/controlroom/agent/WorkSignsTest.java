package dev.controlroom.agent;

import dev.controlroom.testsupport.BuildTempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real processes: which of them are an agent's own (its process and the wrappers in front of it) and which are its work. */
class WorkSignsTest {
    @TempDir(factory = BuildTempDirs.class)
    Path dir;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void end() {
        started.forEach(p -> ProcessTree.killTree(p.pid(), Duration.ofSeconds(1)));
    }

    private Path agent(String name, String body) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private long start(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        started.add(p);
        Thread.sleep(700); // let the chain of processes form
        return p.pid();
    }

    @Test
    void anAgentWaitingOnNothingBehindWrappersShowsNoWorkHoweverItIsStarted() throws Exception {
        Path agent = agent("myagent", "read line"); // waits on its terminal, as a CLI waits on a dead connection
        WorkSigns signs = new WorkSigns(Set.of("myagent"));

        assertEquals(Optional.empty(), signs.processSign(start(agent.toString())), "started directly");
        assertEquals(Optional.empty(), signs.processSign(start("sh", "-c", agent + "; echo after")), "behind sh -c");
        assertEquals(Optional.empty(), signs.processSign(start("env", "X=1", "sh", "-c", agent + "; echo after")), "behind env and sh -c");
    }

    @Test
    void aProcessTheAgentStartedIsWorkEvenWithoutCpu() throws Exception {
        Path agent = agent("myagent", "sleep 30; echo done");
        WorkSigns signs = new WorkSigns(Set.of("myagent"));

        Optional<String> sign = signs.processSign(start("sh", "-c", agent + "; echo after"));
        assertTrue(sign.orElse("").contains("sleep 30"), sign.toString());
    }

    @Test
    void aLauncherInFrontOfTheAgentBinaryIsTheAgentsOwn() throws Exception {
        // An npm launcher (node codex.js) starting the native binary: both carry the CLI's name.
        Path binary = agent("codex-native", "read line");
        Path launcher = agent("codex-launcher", binary + "; echo after");
        WorkSigns signs = new WorkSigns(Set.of("codex"));

        assertEquals(Optional.empty(), signs.processSign(start(launcher.toString())));
    }

    @Test
    void aShellCommandIsWorkingWhileItUsesCpuAndNotWhileItSleeps() throws Exception {
        WorkSigns busy = new WorkSigns(Set.of());
        long loop = start("sh", "-c", "while :; do :; done");
        assertEquals(Optional.empty(), busy.processSign(loop), "the first look only takes note");
        Thread.sleep(300);
        assertTrue(busy.processSign(loop).isPresent());

        WorkSigns idle = new WorkSigns(Set.of());
        long sleeper = start("sh", "-c", "sleep 30; echo after");
        idle.processSign(sleeper);
        Thread.sleep(300);
        assertEquals(Optional.empty(), idle.processSign(sleeper));
    }

    @Test
    void aFileChangedInTheWorkingDirectoryIsSeenButNotInsideGit() throws Exception {
        Files.createDirectories(dir.resolve(".git/objects"));
        Files.createDirectories(dir.resolve("src"));
        Instant since = Instant.now().minusMillis(10);
        Thread.sleep(50);
        Files.writeString(dir.resolve(".git/objects/ab"), "git's own");
        assertEquals(Optional.empty(), WorkSigns.fileChangedSince(dir, since));

        Files.writeString(dir.resolve("src/Main.java"), "class Main {}");
        assertEquals(Optional.of(dir.resolve("src/Main.java")), WorkSigns.fileChangedSince(dir, since));
    }
}
