package dev.controlroom.app;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Where Control Room keeps its data on each OS. */
public final class DataPaths {
    public static final String DATABASE_FILE = "control-room.db";

    private DataPaths() {
    }

    /**
     * The per-user data folder: {@code ~/Library/Application Support/Control Room} on macOS,
     * {@code %APPDATA%\Control Room} on Windows, {@code $XDG_DATA_HOME/control-room} or
     * {@code ~/.local/share/control-room} elsewhere.
     */
    public static Path dataFolder(String osName, Map<String, String> env, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return home.resolve("Library").resolve("Application Support").resolve("Control Room");
        }
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            Path base = appData != null && !appData.isBlank() ? Path.of(appData) : home.resolve("AppData").resolve("Roaming");
            return base.resolve("Control Room");
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".local").resolve("share");
        return base.resolve("control-room");
    }

    public static Path defaultDataFolder() {
        return dataFolder(System.getProperty("os.name", ""), System.getenv(), Path.of(System.getProperty("user.home")));
    }

    public static Path defaultDatabase() {
        return defaultDataFolder().resolve(DATABASE_FILE);
    }
}
