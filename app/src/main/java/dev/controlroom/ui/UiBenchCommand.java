package dev.controlroom.ui;

import dev.controlroom.bench.BenchCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code bench ui}: the window's benchmark, a subcommand of {@code bench} that lives with the
 * window so that the headless benchmarks and command line need no JavaFX.
 */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "The real window with many agents printing fast (real PTYs through the engine), every session open in a terminal view:"
                + " FX pulse gaps under load beside the idle window, lines printed vs stored, peak heap."
                + " Needs a display (DISPLAY, e.g. Xvfb) or --headless (Monocle on the class path).")
public final class UiBenchCommand extends BenchCommand.Bench {
    @Option(names = "--agents", description = "Agents printing at once (default: ${DEFAULT-VALUE}).")
    int agents = 20;

    @Option(names = "--seconds", description = "How long each prints (default: ${DEFAULT-VALUE}).")
    int seconds = 30;

    @Option(names = "--rate", description = "Lines per second per agent (default: ${DEFAULT-VALUE}).")
    int rate = 2000;

    @Option(names = "--headless", description = "Use Monocle instead of a display.")
    boolean headless;

    @Override
    protected void measure(PrintWriter out, Path work) throws Exception {
        new UiBench(out, work).run(agents, seconds, rate, headless);
    }
}
