package dev.controlroom.ui;

import javafx.application.Platform;

import java.util.concurrent.Executor;

/** The one door to the FX thread: background work hands its results to the UI through here. */
public final class FxThread implements Executor {
    @Override
    public void execute(Runnable command) {
        if (Platform.isFxApplicationThread()) {
            command.run();
        } else {
            Platform.runLater(command);
        }
    }
}
