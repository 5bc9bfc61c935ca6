package dev.controlroom.ui.notify;

/** Puts a notification on the desktop; {@code onClick} runs on the FX thread when the person clicks it. */
public interface Toaster {
    void show(Toast toast, Runnable onClick);
}
