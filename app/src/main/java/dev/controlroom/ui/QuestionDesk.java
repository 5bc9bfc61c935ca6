package dev.controlroom.ui;

import dev.controlroom.domain.EventType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.domain.Event;
import dev.controlroom.orchestrator.Orchestrator;
import javafx.scene.control.TextInputDialog;
import javafx.stage.Window;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * When an agent asks a question, puts it to the person in a dialog and sends the answer into that
 * agent's session. The dialog never blocks the FX thread: it is shown, and answered when closed.
 */
final class QuestionDesk implements Consumer<List<Event>> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Orchestrator orchestrator;
    private final Executor fx;
    private final Supplier<Window> owner;

    QuestionDesk(Orchestrator orchestrator, Executor fx, Supplier<Window> owner) {
        this.orchestrator = orchestrator;
        this.fx = fx;
        this.owner = owner;
    }

    @Override
    public void accept(List<Event> events) {
        for (Event e : events) {
            if (e.type() != EventType.NEEDS_INPUT || e.runId().isEmpty()) {
                continue;
            }
            String task;
            String question;
            try {
                var payload = JSON.readTree(e.payload());
                task = payload.path("task").asText("");
                question = payload.path("question").asText(e.message());
            } catch (IOException ex) {
                continue;
            }
            if (!task.isEmpty()) {
                String runId = e.runId().get();
                fx.execute(() -> ask(runId, task, question));
            }
        }
    }

    private void ask(String runId, String task, String question) {
        TextInputDialog dialog = new TextInputDialog();
        dialog.initOwner(owner.get());
        dialog.setTitle("Task " + task + " asks");
        dialog.setHeaderText(question);
        dialog.setContentText("Answer:");
        dialog.getDialogPane().setId("question-dialog");
        dialog.setOnHidden(h -> {
            String answer = dialog.getResult();
            if (answer != null && !answer.isBlank()) {
                orchestrator.answer(runId, task, answer);
            }
        });
        dialog.show();
    }
}
