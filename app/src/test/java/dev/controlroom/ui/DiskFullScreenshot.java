package dev.controlroom.ui;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.bench.SmallDisk;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.store.PlanStore;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.stage.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Takes {@code docs/screenshots/status-disk-full.png}: the real window over a database on a small
 * disk of its own (a tmpfs, so it runs as root) that fills up while a task prints, showing the
 * banner that says so. Run under a display by {@code docs/screenshots/take-screenshots.sh}; a tool, not a test.
 */
public final class DiskFullScreenshot {
    private DiskFullScreenshot() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshots").toAbsolutePath();
        int code = 0;
        Path dir = Files.createTempDirectory("cr-disk-full");
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 32)) {
            shoot(disk, out);
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    private static void shoot(SmallDisk disk, Path out) throws Exception {
        Path plan = Files.writeString(disk.path().resolve("nightly.yaml"), """
                name: nightly build
                tasks:
                  - id: compile
                    command: "i=0; while [ $i -lt 600 ]; do i=$((i+1)); echo \\"[build] compiling module $i of 600: src/main/module_$i.c\\"; sleep 0.05; done"
                  - { id: package, command: "echo packaging", depends_on: [compile] }
                  - { id: publish, command: "echo publishing", depends_on: [package] }
                """);
        try (ControlRoom room = ControlRoom.open(disk.path().resolve("control-room.db"))) {
            var spec = new PlanReader(Set.of()).read(plan).orThrow();
            PlanSummary imported = room.store().plans().importPlan(spec, PlanStore.Source.of(plan.toString(), "yaml", Files.readString(plan)));
            CompletableFuture<MainViewModel> shown = new CompletableFuture<>();
            Stage[] stage = new Stage[1];
            Platform.startup(() -> {
                stage[0] = new Stage();
                MainViewModel vm = new DesktopApp(room.store(), room.orchestrator(), room.background(), "screenshot").show(stage[0]);
                stage[0].setWidth(1600);
                stage[0].setHeight(1000);
                shown.complete(vm);
            });
            MainViewModel viewModel = shown.get(30, TimeUnit.SECONDS);
            waitFor(() -> ScreenshotTour.onFx(() -> viewModel.loadedOnceProperty().get()));
            ScreenshotTour.onFx(() -> {
                viewModel.selectedPlanProperty().set(viewModel.plans().stream().filter(p -> p.id() == imported.id()).findFirst().orElseThrow());
                return null;
            });
            waitFor(() -> ScreenshotTour.onFx(() -> viewModel.tasks().rows().size() == 3));
            ScreenshotTour.onFx(() -> {
                viewModel.startSelectedPlan();
                return null;
            });
            waitFor(() -> ScreenshotTour.onFx(() -> viewModel.tasks().rows().stream().anyMatch(r -> r.status().equals("running"))));
            ScreenshotTour.onFx(() -> {
                viewModel.tasks().rows().stream().filter(r -> r.task().key().equals("compile")).findFirst()
                        .ifPresent(viewModel.tasks().selectedProperty()::set);
                return null;
            });
            Thread.sleep(3_000);
            disk.fill();
            waitFor(() -> ScreenshotTour.onFx(() -> ((Label) stage[0].getScene().lookup(".write-health-banner")).getText()
                    .matches("Disk full: output is held in memory \\([1-9].*")));
            Thread.sleep(2_500);
            ScreenshotTour.save(ScreenshotTour.onFx(() -> stage[0].getScene().snapshot(null)), out.resolve("status-disk-full.png"));
            disk.free();
            waitFor(() -> ScreenshotTour.onFx(() -> !stage[0].getScene().lookup(".write-health-banner").isVisible()));
            room.orchestrator().stop(viewModel.lastRunProperty().get().orElseThrow().id()).get(30, TimeUnit.SECONDS);
            Platform.runLater(stage[0]::hide);
        }
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(100);
        }
    }
}
