package dev.controlroom.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DataPathsTest {
    private final Path home = Path.of("/home/ada");

    @Test
    void macKeepsDataInApplicationSupport() {
        assertEquals(Path.of("/home/ada/Library/Application Support/Control Room"),
                DataPaths.dataFolder("Mac OS X", Map.of(), home));
    }

    @Test
    void linuxFollowsXdgDataHomeWhenSet() {
        assertEquals(Path.of("/data/control-room"), DataPaths.dataFolder("Linux", Map.of("XDG_DATA_HOME", "/data"), home));
    }

    @Test
    void linuxFallsBackToLocalShareWhenXdgIsUnsetOrRelative() {
        assertEquals(Path.of("/home/ada/.local/share/control-room"), DataPaths.dataFolder("Linux", Map.of(), home));
        assertEquals(Path.of("/home/ada/.local/share/control-room"),
                DataPaths.dataFolder("Linux", Map.of("XDG_DATA_HOME", "relative/dir"), home));
    }

    @Test
    void windowsUsesAppData() {
        assertEquals(Path.of("/appdata/Control Room"), DataPaths.dataFolder("Windows 11", Map.of("APPDATA", "/appdata"), home));
    }
}
