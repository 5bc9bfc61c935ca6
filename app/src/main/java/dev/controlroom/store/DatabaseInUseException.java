package dev.controlroom.store;

/** Another Control Room process runs the engine on this database (it holds the lease): this one may not. */
public final class DatabaseInUseException extends StoreException {
    private final long pid;

    public DatabaseInUseException(String message, long pid) {
        super(message);
        this.pid = pid;
    }

    /** The process that runs the engine. */
    public long pid() {
        return pid;
    }
}
