package dev.controlroom.ui;

import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.Store;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The real window as {@code bench ui} drives it: opens sessions in terminal views and measures
 * the gaps between FX pulses (an animation keeps pulses coming at the display rate, so a long gap
 * means the FX thread was busy).
 */
public final class BenchWindow implements AutoCloseable {
    private final Stage stage;
    private final MainViewModel viewModel;

    /** Gaps between consecutive pulses while a probe ran. */
    public record PulseStats(int pulses, double p50Millis, double p99Millis, double maxMillis, java.util.List<String> longest) {
    }

    private BenchWindow(Stage stage, MainViewModel viewModel) {
        this.stage = stage;
        this.viewModel = viewModel;
    }

    /**
     * Starts the toolkit (Monocle without a display when {@code headless}, else the DISPLAY) unless it
     * runs already, and shows the main window with its data loaded.
     */
    public static BenchWindow open(Store store, Orchestrator orchestrator, Executor background, boolean headless) throws Exception {
        if (headless) {
            System.setProperty("glass.platform", "Monocle");
            System.setProperty("monocle.platform", "Headless");
            System.setProperty("prism.order", "sw");
            System.setProperty("headless.geometry", "1600x1000-32");
        }
        try {
            Platform.startup(() -> { });
        } catch (IllegalStateException alreadyRunning) {
            // a test JVM (or an earlier bench) started it: use it as it is
        }
        Platform.setImplicitExit(false);
        CompletableFuture<BenchWindow> shown = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                Stage stage = new Stage();
                MainViewModel viewModel = new DesktopApp(store, orchestrator, background, "bench").show(stage);
                shown.complete(new BenchWindow(stage, viewModel));
            } catch (RuntimeException e) {
                shown.completeExceptionally(e);
            }
        });
        BenchWindow window = shown.get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!onFx(() -> window.viewModel.loadedOnceProperty().get())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the window did not load its data within 60 s");
            }
            Thread.sleep(50);
        }
        return window;
    }

    /** Opens each session in a terminal tab (each replays its stored output, then follows it live). */
    public void openTerminals(List<String> sessionIds) throws Exception {
        onFx(() -> {
            sessionIds.forEach(viewModel.logs()::open);
            return null;
        });
    }

    public int terminalsOpen() throws Exception {
        return onFx(() -> viewModel.logs().tabs().size());
    }

    /** Bytes the terminal views skipped because they fell behind (the database keeps them). */
    public long skippedBytes() throws Exception {
        return onFx(() -> viewModel.logs().tabs().stream().mapToLong(t -> t.view().skippedBytesProperty().get()).sum());
    }

    /** Measures pulse gaps until {@code until} completes (or {@code limit} passes). */
    public PulseStats measurePulses(CompletableFuture<?> until, Duration limit) throws Exception {
        long[] gaps = new long[(int) Math.max(1000, limit.toSeconds() * 200)];
        long[] at = new long[gaps.length];
        int[] count = {0};
        long[] last = {0};
        long start = System.nanoTime();
        AnimationTimer probe = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (last[0] != 0 && count[0] < gaps.length) {
                    at[count[0]] = now - start;
                    gaps[count[0]++] = now - last[0];
                }
                last[0] = now;
            }
        };
        onFx(() -> {
            probe.start();
            return null;
        });
        try {
            until.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // measured for the whole limit
        }
        return onFx(() -> {
            probe.stop();
            long[] sorted = Arrays.copyOf(gaps, count[0]);
            Arrays.sort(sorted);
            if (sorted.length == 0) {
                return new PulseStats(0, 0, 0, 0, List.of());
            }
            // Where the three longest gaps ended, seconds after the probe started: a stall at the start reads differently from steady jank.
            List<String> longest = java.util.stream.IntStream.range(0, count[0]).boxed()
                    .sorted((a, b) -> Long.compare(gaps[b], gaps[a])).limit(3)
                    .map(i -> String.format(java.util.Locale.ROOT, "%.0f ms at +%.1f s", gaps[i] / 1e6, at[i] / 1e9)).toList();
            return new PulseStats(sorted.length, sorted[(int) (sorted.length * 0.50)] / 1e6,
                    sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6, sorted[sorted.length - 1] / 1e6,
                    longest);
        });
    }

    @Override
    public void close() throws Exception {
        onFx(() -> {
            viewModel.logs().tabs().stream().toList().forEach(viewModel.logs()::close);
            stage.hide();
            return null;
        });
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(60, TimeUnit.SECONDS);
    }
}
