package dev.controlroom.ui.palette;

import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.Scene;
import javafx.scene.input.KeyCombination;

import java.util.List;
import java.util.Optional;

/**
 * Every command of the window, in one place: the palette lists them, their shortcuts become the
 * scene's accelerators, and F1 lists the shortcuts. A pane adds its own with one line:
 * {@code commands.add("Retry task", KeyCombination.valueOf("Shortcut+T"), viewModel::retrySelected)}.
 */
public final class Commands {

    /** A command: what the palette shows, its shortcuts (the first is the one shown), what it does. */
    public record Command(String title, List<KeyCombination> shortcuts, Runnable action) {
        public Command {
            shortcuts = List.copyOf(shortcuts);
        }

        /** The shortcut as the person's system writes it ("Ctrl+Shift+P"), or "" without one. */
        public String shortcutText() {
            return shortcuts.isEmpty() ? "" : shortcuts.getFirst().getDisplayText();
        }
    }

    private final ObservableList<Command> all = FXCollections.observableArrayList();

    /** Adds a command; its shortcuts work at once in every scene this registry is installed in. */
    public Command add(String title, KeyCombination shortcut, Runnable action) {
        return add(title, List.of(shortcut), action);
    }

    public Command add(String title, List<KeyCombination> shortcuts, Runnable action) {
        Command c = new Command(title, shortcuts, action);
        all.add(c);
        return c;
    }

    public Command add(String title, Runnable action) {
        return add(title, List.of(), action);
    }

    public ObservableList<Command> all() {
        return FXCollections.unmodifiableObservableList(all);
    }

    /** The command with this title, if one is registered. */
    public Optional<Command> find(String title) {
        return all.stream().filter(c -> c.title().equals(title)).findFirst();
    }

    /** Makes every shortcut, of the commands there now and of those added later, an accelerator of {@code scene}. */
    public void installAccelerators(Scene scene) {
        all.forEach(c -> accelerate(scene, c));
        all.addListener((ListChangeListener<Command>) change -> {
            while (change.next()) {
                change.getAddedSubList().forEach(c -> accelerate(scene, c));
            }
        });
    }

    private static void accelerate(Scene scene, Command c) {
        c.shortcuts().forEach(k -> scene.getAccelerators().put(k, c.action()));
    }
}
