package dev.controlroom.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.app.ControlRoom;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.store.PlanStore;
import dev.controlroom.testsupport.AgentClis;
import dev.controlroom.testsupport.ClaudeEnv;
import dev.controlroom.testsupport.GitRepos;
import dev.controlroom.testsupport.MockAnthropicServer;
import dev.controlroom.testsupport.Script;
import dev.controlroom.testsupport.Turn;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.scene.image.WritableImage;
import javafx.scene.image.WritablePixelFormat;
import javafx.stage.Stage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Takes the screenshots of {@code docs/screenshots/}: a real run of a plan with shell tasks and
 * Claude Code tasks (the real CLI against a loopback mock of the Messages API) in the real window,
 * each pane saved on its own during and after the run, in both themes. Run it under a display
 * (Xvfb) with {@code docs/screenshots/take-screenshots.sh}; it is a tool, not a test.
 */
public final class ScreenshotTour {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each pane by the style class its FXML root carries. */
    private static final Map<String, String> PANES = new LinkedHashMap<>();

    static {
        PANES.put("agents", ".agents-pane");
        PANES.put("tasks", ".tasks-pane");
        PANES.put("waves", ".waves-pane");
        PANES.put("terminal", ".logs-pane");
        PANES.put("events", ".events-pane");
        PANES.put("task-detail", ".task-detail-pane");
        PANES.put("review", ".review-pane");
    }

    private final Path out;
    private Stage stage;
    private MainViewModel viewModel;

    private ScreenshotTour(Path out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshots").toAbsolutePath();
        Files.createDirectories(out);
        int code = 0;
        try {
            new ScreenshotTour(out).tour(Files.createTempDirectory("cr-tour"));
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    private void tour(Path dir) throws Exception {
        Path repo = GitRepos.withOneCommit(dir.resolve("greeter"));
        Files.writeString(repo.resolve("greeter.py"), "def greet(name):\n    return 'hi ' + name\n");
        GitRepos.git(repo, "add", "-A");
        GitRepos.git(repo, "commit", "-qm", "greeter");
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        writeScripts(scripts);
        // Claude Code's Write refuses to overwrite a file it has not read: read first, as it would.
        Script script = Script.of(
                Turn.toolUse("Read", Map.of("file_path", "${cwd}/greeter.py")).withUsage(1620, 40),
                Turn.toolUse("Write", Map.of("file_path", "${cwd}/greeter.py", "content", """
                        \"\"\"Greetings for the release notes.\"\"\"


                        def greet(name: str, excited: bool = False) -> str:
                            # A friendly greeting; excited adds an exclamation mark.
                            text = f"Hello, {name}"
                            return text + ("!" if excited else ".")
                        """)).withUsage(1840, 212),
                Turn.text("Rewrote greeter.py: greet() now takes an `excited` flag and returns a full sentence.").withUsage(2050, 31));
        try (MockAnthropicServer server = MockAnthropicServer.start(script);
             ControlRoom room = ControlRoom.open(dir.resolve("control-room.db"))) {
            ClaudeEnv env = ClaudeEnv.builder(server.baseUrl(), Files.createDirectories(dir.resolve("claude-state"))).maxRetries(0)
                    .apiTimeout(Duration.ofSeconds(30)).build();
            Path plan = writePlan(dir, scripts, env);
            var spec = new PlanReader(Set.of()).read(plan).orThrow();
            PlanSummary imported = room.store().plans().importPlan(spec, PlanStore.Source.of(plan.toString(), "yaml", Files.readString(plan)));

            CompletableFuture<Void> shown = new CompletableFuture<>();
            Platform.startup(() -> {
                stage = new Stage();
                viewModel = new DesktopApp(room.store(), room.orchestrator(), room.background(), "tour")
                        .withReview(room.review(), room.git()).show(stage);
                stage.setWidth(1600);
                stage.setHeight(1000);
                shown.complete(null);
            });
            shown.get(30, TimeUnit.SECONDS);
            waitFor("first load", () -> onFx(() -> viewModel.loadedOnceProperty().get()));
            onFx(() -> {
                viewModel.selectedPlanProperty().set(viewModel.plans().stream().filter(p -> p.id() == imported.id()).findFirst().orElseThrow());
                return null;
            });
            waitFor("the tour plan in view", () -> onFx(() -> viewModel.tasks().rows().size() == 7));
            onFx(() -> {
                viewModel.startSelectedPlan();
                return null;
            });
            waitFor("tests running", () -> onFx(() -> status("unit-tests").equals("running")));
            select("unit-tests");
            Thread.sleep(2500);
            shoot("main-window-running");
            shootPanes("running");
            onFx(() -> {
                ((javafx.scene.control.ToggleButton) stage.getScene().lookup("#boardToggle")).fire();
                return null;
            });
            Thread.sleep(800);
            savePane(".tasks-pane", "pane-board-running");
            onFx(() -> {
                ((javafx.scene.control.ToggleButton) stage.getScene().lookup("#tableToggle")).fire();
                return null;
            });

            waitFor("the run to end", () -> onFx(() -> viewModel.lastRunProperty().get().map(r -> r.state().isFinished()).orElse(false)),
                    Duration.ofSeconds(120));
            Thread.sleep(1500);
            screen("notification");
            select("greeting");
            inspector(1);
            Thread.sleep(1500);
            shoot("main-window-dark");
            shootPanes("dark");
            onFx(() -> {
                viewModel.commands().find("Command palette").or(() -> viewModel.commands().all().stream()
                        .filter(c -> c.title().toLowerCase(java.util.Locale.ROOT).contains("palette")).findFirst())
                        .ifPresent(c -> c.action().run());
                return null;
            });
            Thread.sleep(800);
            screen("main-window-palette");
            onFx(() -> {
                javafx.stage.Window.getWindows().stream().filter(w -> w != stage).toList().forEach(javafx.stage.Window::hide);
                return null;
            });
            onFx(() -> {
                viewModel.toggleTheme();
                return null;
            });
            inspector(0);
            Thread.sleep(1500);
            shoot("main-window-light");
            shootPanes("light");
            onFx(() -> {
                viewModel.toggleTheme();
                return null;
            });
            Platform.runLater(stage::hide);
        }
    }

    private void writeScripts(Path scripts) throws IOException {
        Files.writeString(scripts.resolve("lint.sh"), """
                printf '\\033[1mlint\\033[0m checking 42 files\\n'
                for f in api core store ui cli; do sleep 0.3; printf '  \\033[32m✓\\033[0m %s\\n' "$f"; done
                printf '\\033[33mwarning\\033[0m: unused import in ui/Theme.java:3\\n'
                """);
        Files.writeString(scripts.resolve("tests.sh"), """
                printf '\\033[1;34m==>\\033[0m running 128 tests\\n'
                i=0
                while [ $i -lt 24 ]; do
                  i=$((i+1))
                  printf 'test_case_%02d ... \\033[32mok\\033[0m\\n' $i
                  sleep 0.35
                done
                printf '\\033[32m128 passed\\033[0m, \\033[33m2 skipped\\033[0m in 8.4s\\n'
                """);
        Files.writeString(scripts.resolve("package.sh"), """
                for p in 10 30 50 70 90 100; do printf '\\rpackaging [%-10s] %3d%%' "$(printf '%*s' $((p/10)) '' | tr ' ' '#')" $p; sleep 0.4; done
                printf '\\n\\033[32mbuilt\\033[0m greeter-1.4.0.tar.gz (412 KiB)\\n'
                """);
        Files.writeString(scripts.resolve("flaky.sh"), """
                echo "fetching https://mirror.example.invalid/index"
                sleep 1
                echo "error: connection refused (mirror.example.invalid:443)" >&2
                exit 7
                """);
    }

    private static Path writePlan(Path dir, Path scripts, ClaudeEnv env) throws IOException {
        StringBuilder envYaml = new StringBuilder();
        for (var e : env.variables().entrySet()) {
            envYaml.append("          ").append(e.getKey()).append(": ").append(JSON.writeValueAsString(e.getValue())).append('\n');
        }
        String s = scripts.toString();
        return Files.writeString(dir.resolve("release.yaml"), """
                name: release-1.4
                description: Lint, test, improve the greeter with Claude, package and report.
                settings: { concurrency: 3, wave_mode: dataflow }
                agents:
                  - { id: claude-mock, profile: claude, command: %s }
                tasks:
                  - { id: lint, title: Lint the sources, command: "sh %s/lint.sh", priority: 8, category: quality }
                  - { id: unit-tests, title: Run the unit tests, command: "sh %s/tests.sh", depends_on: [lint], category: quality }
                  - id: greeting
                    title: Friendlier greeting
                    prompt: Make greet() return a full sentence and take an excited flag.
                    agent: claude-mock
                    depends_on: [lint]
                    category: feature
                    verify: ["python3 -c 'import greeter; assert greeter.greet(\\"Ada\\", True) == \\"Hello, Ada!\\"'"]
                    context:
                      repo: greeter
                      worktree: true
                      env:
                %s
                  - { id: mirror, title: Refresh the package mirror, command: "sh %s/flaky.sh", max_attempts: 2, category: ops }
                  - { id: package, title: Build the package, command: "sh %s/package.sh", depends_on: [unit-tests, greeting], category: release }
                  - { id: notes, title: Release notes, command: "echo '# greeter 1.4' > notes.md && cat notes.md", depends_on: [greeting], category: release }
                  - { id: report, title: Release report, command: "echo release ready", depends_on: [package, notes, mirror], category: release }
                """.formatted(JSON.writeValueAsString(AgentClis.claude().toString()), s, s, envYaml.toString().stripTrailing(), s, s));
    }

    private String status(String key) {
        return viewModel.tasks().rows().stream().filter(r -> r.task().key().equals(key)).map(r -> r.status()).findFirst().orElse("");
    }

    private void select(String key) throws Exception {
        onFx(() -> {
            viewModel.tasks().rows().stream().filter(r -> r.task().key().equals(key)).findFirst()
                    .ifPresent(viewModel.tasks().selectedProperty()::set);
            return null;
        });
    }

    private void inspector(int tab) throws Exception {
        onFx(() -> {
            ((TabPane) stage.getScene().lookup("#inspectorTabs")).getSelectionModel().select(tab);
            return null;
        });
    }

    private void shoot(String name) throws Exception {
        save(onFx(() -> stage.getScene().snapshot(null)), out.resolve(name + ".png"));
    }

    private void shootPanes(String suffix) throws Exception {
        for (var pane : PANES.entrySet()) {
            // The inspector's panes share a tab pane: a pane in a tab not shown is not laid out, so show its tab first.
            if (pane.getKey().equals("task-detail") || pane.getKey().equals("review")) {
                inspector(pane.getKey().equals("review") ? 1 : 0);
                Thread.sleep(600);
            }
            WritableImage image = onFx(() -> {
                Scene scene = stage.getScene();
                Node node = scene.lookup(pane.getValue());
                return node == null || !node.isVisible() || node.getScene() == null ? null : node.snapshot(null, null);
            });
            if (image != null && image.getWidth() > 1) {
                save(image, out.resolve("pane-" + pane.getKey() + "-" + suffix + ".png"));
            }
        }
    }

    /** Popups (the palette, notifications) are windows of their own: the whole screen, from the display. */
    private void screen(String name) throws Exception {
        new ProcessBuilder("import", "-window", "root", out.resolve(name + ".png").toString()).inheritIO().start().waitFor();
        System.out.println("saved " + out.resolve(name + ".png"));
    }

    private void savePane(String selector, String name) throws Exception {
        WritableImage image = onFx(() -> stage.getScene().lookup(selector).snapshot(null, null));
        save(image, out.resolve(name + ".png"));
    }

    static void save(WritableImage image, Path file) throws IOException {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, WritablePixelFormat.getIntArgbInstance(), argb, 0, w);
        BufferedImage buffered = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        buffered.setRGB(0, 0, w, h, argb, 0, w);
        ImageIO.write(buffered, "png", file.toFile());
        System.out.println("saved " + file);
    }

    static <T> T onFx(Callable<T> call) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(call.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }

    private static void waitFor(String what, Callable<Boolean> condition) throws Exception {
        waitFor(what, condition, Duration.ofSeconds(60));
    }

    private static void waitFor(String what, Callable<Boolean> condition, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
