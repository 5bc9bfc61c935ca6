package dev.controlroom.ui.notify;

import javafx.geometry.Pos;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

import java.util.function.Supplier;

/** Notifications as ControlsFX shows them: a popup in the corner of the window's screen. */
public final class ControlsFxToaster implements Toaster {
    private static final Duration SHOWN_FOR = Duration.seconds(8);

    private final Supplier<Window> owner;

    public ControlsFxToaster(Supplier<Window> owner) {
        this.owner = owner;
    }

    @Override
    public void show(Toast toast, Runnable onClick) {
        Window window = owner.get();
        // ControlsFX needs a showing owner to place its popup; a hidden window has nobody to tell.
        if (window == null || !window.isShowing()) {
            return;
        }
        Notifications n = Notifications.create().owner(window).title(toast.title()).text(toast.text())
                .position(Pos.BOTTOM_RIGHT).hideAfter(SHOWN_FOR).onAction(e -> onClick.run());
        // No darkStyle(): its fixed grey gradient ignores the theme; the bridge in events.css colours it from the theme's tokens.
        switch (toast.severity()) {
            case ERROR, CRITICAL -> n.showError();
            case WARNING -> n.showWarning();
            default -> n.showInformation();
        }
    }
}
