package dev.controlroom.ui.review;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Opens a folder in the person's editor or terminal. The command comes from the setting
 * ({@code editor.command}, {@code terminal.command}) or a default for this system; {@code {path}}
 * in it is replaced by the folder, otherwise the folder is added at the end. Blocks for up to a
 * second to catch a command that fails at once: call it off the FX thread.
 */
public final class ExternalTools {
    public static final String EDITOR_KEY = "editor.command";
    public static final String TERMINAL_KEY = "terminal.command";
    /** Editors with their own window; a terminal editor ($EDITOR=vim) would have no terminal to draw in. */
    private static final Set<String> GUI_EDITORS = Set.of("code", "code-insiders", "codium", "subl", "sublime_text", "gedit",
            "gnome-text-editor", "kate", "kwrite", "idea", "idea.sh", "zed", "atom", "mousepad", "xed", "pluma", "gvim", "mvim", "geany",
            "notepad++", "notepad", "bbedit", "mate", "fleet", "cursor");
    private static final List<String> LINUX_TERMINALS = List.of("x-terminal-emulator", "gnome-terminal", "konsole", "xfce4-terminal",
            "kitty", "alacritty", "wezterm", "xterm");

    private final Map<String, String> env;
    private final String os;
    private final Predicate<String> onPath;

    public ExternalTools(Map<String, String> env, String osName, Predicate<String> onPath) {
        this.env = Map.copyOf(env);
        this.os = osName.toLowerCase(Locale.ROOT);
        this.onPath = onPath;
    }

    /** This machine: its environment, its system and its PATH. */
    public static ExternalTools ofThisMachine() {
        Map<String, String> env = System.getenv();
        List<Path> path = Optional.ofNullable(env.get("PATH")).stream().flatMap(p -> java.util.Arrays.stream(p.split(java.io.File.pathSeparator)))
                .map(Path::of).toList();
        return new ExternalTools(env, System.getProperty("os.name", ""), name -> path.stream().anyMatch(d -> Files.isExecutable(d.resolve(name))));
    }

    /** The editor command: the setting, else a GUI editor in $VISUAL/$EDITOR, else {@code code}, else the system's opener. */
    public String editorCommand(Optional<String> setting) {
        return setting.filter(s -> !s.isBlank()).or(() -> Optional.ofNullable(env.get("VISUAL")).filter(ExternalTools::isGuiEditor))
                .or(() -> Optional.ofNullable(env.get("EDITOR")).filter(ExternalTools::isGuiEditor))
                .or(() -> onPath.test("code") ? Optional.of("code") : Optional.empty())
                .orElseGet(this::opener);
    }

    /** The terminal command: the setting, else $TERMINAL, else the first terminal found for this system. */
    public Optional<String> terminalCommand(Optional<String> setting) {
        if (setting.filter(s -> !s.isBlank()).isPresent()) {
            return setting;
        }
        if (os.startsWith("mac")) {
            return Optional.of("open -a Terminal {path}");
        }
        if (os.startsWith("windows")) {
            return Optional.of("cmd /c start cmd /K cd /d {path}");
        }
        return Optional.ofNullable(env.get("TERMINAL")).filter(s -> !s.isBlank())
                .or(() -> LINUX_TERMINALS.stream().filter(onPath).findFirst());
    }

    private String opener() {
        return os.startsWith("mac") ? "open" : os.startsWith("windows") ? "explorer" : "xdg-open";
    }

    private static boolean isGuiEditor(String command) {
        String first = command.strip().split("\\s+")[0];
        String name = first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1);
        return GUI_EDITORS.contains(name.toLowerCase(Locale.ROOT).replaceAll("\\.exe$", ""));
    }

    /** The command's words with the folder in place of {@code {path}} (or added last); quotes group words. */
    public static List<String> argv(String command, Path folder) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : command.strip().toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        boolean placed = words.stream().anyMatch(w -> w.contains("{path}"));
        List<String> out = new ArrayList<>(words.stream().map(w -> w.replace("{path}", folder.toString())).toList());
        if (!placed) {
            out.add(folder.toString());
        }
        return out;
    }

    /**
     * Starts the command in {@code folder}; fails naming the command when it cannot start or ends
     * with an error within a second (a missing program, a bad option).
     */
    public static void launch(String what, String command, Path folder) throws IOException {
        List<String> argv = argv(command, folder);
        Path log = Files.createTempFile("cr-launch-", ".log");
        try {
            Process p;
            try {
                p = new ProcessBuilder(argv).directory(folder.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new IOException("the " + what + " command '" + command + "' could not start: " + e.getMessage()
                        + " (set " + (what.equals("editor") ? EDITOR_KEY : TERMINAL_KEY) + " in the settings)", e);
            }
            p.getOutputStream().close();
            if (p.waitFor(1, TimeUnit.SECONDS) && p.exitValue() != 0) {
                String said = Files.readString(log, StandardCharsets.UTF_8).strip();
                throw new IOException("the " + what + " command '" + command + "' failed with exit code " + p.exitValue()
                        + (said.isEmpty() ? "" : ": " + said.lines().findFirst().orElse("")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Windows keeps a file open by a running program; it goes when the app ends instead.
            if (!log.toFile().delete()) {
                log.toFile().deleteOnExit();
            }
        }
    }
}
