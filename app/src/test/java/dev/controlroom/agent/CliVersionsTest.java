package dev.controlroom.agent;

import dev.controlroom.domain.AgentProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliVersionsTest {

    private static void script(Path dir, String name, String body) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void eachCliOnPathIsAskedForItsVersionAndAHangingOneIsEndedWithoutOne(@TempDir Path bin) throws Exception {
        script(bin, "claude", "echo '2.1.197 (Claude Code)'");
        script(bin, "ollama", "echo 'Warning: could not connect to a running Ollama instance' >&2; echo 'ollama version is 0.12.3'");
        script(bin, "codex", "sleep 30");

        long start = System.nanoTime();
        List<CliVersions.CliVersion> found = new CliVersions(new CliDetector(bin.toString(), false), Duration.ofMillis(1500))
                .probe().get(10, TimeUnit.SECONDS);

        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8), "a hanging CLI must not hold the answer");
        assertEquals(List.of("claude 2.1.197", "codex (no version)", "gemini not found", "opencode not found", "qwen not found", "aider not found",
                "ollama 0.12.3"), found.stream().map(CliVersions.CliVersion::describe).toList());
        assertEquals(AgentProfile.CLAUDE, found.getFirst().profile());
        assertEquals(Optional.of(bin.resolve("claude")), found.getFirst().executable());
    }

    @Test
    void theFirstVersionNumberInTheOutputIsTheVersion() {
        assertEquals(Optional.of("0.169.0"), CliVersions.versionIn("codex-cli 0.169.0\n"));
        assertEquals(Optional.of("1.2.3-beta.1"), CliVersions.versionIn("tool v1.2.3-beta.1"));
        assertEquals(Optional.empty(), CliVersions.versionIn("command not understood"));
    }

    @Test
    void anExecutableIsAskedOnceUntilItIsReplaced(@TempDir Path bin) throws Exception {
        Path asked = bin.resolve("asked.txt");
        script(bin, "claude", "echo x >> '" + asked + "'; echo '2.1.197 (Claude Code)'");
        CliVersions versions = new CliVersions(new CliDetector(bin.toString(), false), Duration.ofSeconds(10));

        assertEquals(Optional.of("2.1.197"), versions.versionOf(bin.resolve("claude")).get(10, TimeUnit.SECONDS));
        assertEquals(Optional.of("2.1.197"), versions.versionOf(bin.resolve("claude")).get(10, TimeUnit.SECONDS));
        assertEquals(1, Files.readAllLines(asked).size(), "the second session reuses the answer");

        script(bin, "claude", "echo x >> '" + asked + "'; echo '2.1.300 (Claude Code)'");
        Files.setLastModifiedTime(bin.resolve("claude"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));

        assertEquals(Optional.of("2.1.300"), versions.versionOf(bin.resolve("claude")).get(10, TimeUnit.SECONDS), "an update is asked again");
        assertEquals(2, Files.readAllLines(asked).size());
    }
}
