package dev.controlroom.cli;

import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Failures;
import dev.controlroom.orchestrator.Orchestrator;

import java.io.Console;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Puts an agent's question to the person at the terminal and sends the answer back into that
 * agent's session. Asks one question at a time, off the engine's thread.
 */
final class Questions implements Consumer<List<Event>> {
    private final Orchestrator orchestrator;
    private final Console console;
    private final Map<Long, String> taskKeys;
    private final ExecutorService asker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cr-cli-questions");
        t.setDaemon(true);
        return t;
    });

    Questions(Orchestrator orchestrator, Console console, Map<Long, String> taskKeys) {
        this.orchestrator = orchestrator;
        this.console = console;
        this.taskKeys = new ConcurrentHashMap<>(taskKeys);
    }

    @Override
    public void accept(List<Event> events) {
        for (Event e : events) {
            if (e.type() == EventType.NEEDS_INPUT && e.runId().isPresent() && e.taskId().isPresent()) {
                String key = taskKeys.get(e.taskId().get());
                if (key != null) {
                    asker.execute(() -> ask(e.runId().get(), key, e.message()));
                }
            }
        }
    }

    private void ask(String runId, String taskKey, String question) {
        String answer = console.readLine("%n%s%nYour answer for task %s (empty line: leave it waiting): ", question, taskKey);
        if (answer == null || answer.isBlank()) {
            return;
        }
        orchestrator.answer(runId, taskKey, answer).exceptionally(ex -> {
            console.printf("could not pass the answer on: %s%n", Failures.rootMessage(ex));
            return null;
        });
    }
}
