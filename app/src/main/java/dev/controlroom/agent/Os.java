package dev.controlroom.agent;

import java.util.Locale;

/** The few places where process handling differs by operating system. */
final class Os {
    static final boolean WINDOWS = name().startsWith("windows");
    /** Linux has /proc, which tells zombies and session members apart; other systems fall back to ProcessHandle. */
    static final boolean LINUX = name().startsWith("linux");

    private Os() {
    }

    private static String name() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    }
}
