package dev.controlroom.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts about this build of Control Room. */
public final class AppInfo {
    public static final String NAME = "Control Room";

    private AppInfo() {
    }

    public static String version() {
        try (InputStream in = AppInfo.class.getResourceAsStream("/control-room-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
