package dev.controlroom.orchestrator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What the product logs while a test runs, for tests that check it says a thing once and without a stack trace. */
final class ProductLog extends Handler implements AutoCloseable {
    private final Logger product = Logger.getLogger("dev.controlroom");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    ProductLog() {
        product.addHandler(this);
    }

    List<String> messages() {
        return records.stream().map(LogRecord::getMessage).toList();
    }

    long count(String part) {
        return messages().stream().filter(m -> m.contains(part)).count();
    }

    boolean anyStackTrace() {
        return records.stream().anyMatch(r -> r.getThrown() != null);
    }

    void clear() {
        records.clear();
    }

    @Override
    public void publish(LogRecord r) {
        records.add(r);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        product.removeHandler(this);
    }
}
