package dev.controlroom.cli;

import java.util.logging.Logger;

/**
 * SIGTERM and SIGINT as a request to stop: a long-running command finishes its own close and exits
 * 0, instead of the JVM's default of running shutdown hooks and exiting 143.
 */
final class StopSignals {
    private StopSignals() {
    }

    static void onStop(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.run());
            } catch (IllegalArgumentException unsupported) {
                // This platform has no such signal (INT is Ctrl-C everywhere; TERM is missing on Windows): the JVM's default stays.
                Logger.getLogger(StopSignals.class.getName()).fine("signal " + name + " cannot be handled here: " + unsupported.getMessage());
            }
        }
    }
}
