package dev.controlroom.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CodexConfigTest {
    @TempDir
    Path home;

    @Test
    void theSelectedProfilesModelWinsOverTheTopLevelOne() throws Exception {
        Files.writeString(home.resolve("config.toml"), """
                model = "gpt-5.5"   # the default
                profile = 'fast'

                [profiles.fast]
                model = "gpt-5.4-mini"

                [profiles.deep]
                model = "gpt-5.5-pro"
                """);

        assertEquals(Optional.of("gpt-5.4-mini"), CodexConfig.model(Map.of("CODEX_HOME", home.toString())));
    }

    @Test
    void withoutAProfileTheTopLevelModelAndWithoutAConfigNone() throws Exception {
        Files.createDirectories(home.resolve(".codex"));
        Files.writeString(home.resolve(".codex/config.toml"), "approval_policy = \"never\"\nmodel = \"gpt-5.5\"\n[model_providers.mock]\nmodel = \"x\"\n");

        assertEquals(Optional.of("gpt-5.5"), CodexConfig.model(Map.of("HOME", home.toString())), "CODEX_HOME defaults to ~/.codex");
        assertEquals(Optional.empty(), CodexConfig.model(Map.of("CODEX_HOME", home.resolve("none").toString())));
    }
}
