package dev.controlroom.store;

/** A storage failure, with a message that names the database and what was being done. */
public class StoreException extends RuntimeException implements dev.controlroom.orchestrator.port.RunLedger.MayPass {
    private final WriteHealth.Condition condition;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
        this.condition = conditionOf(cause);
    }

    public StoreException(String message) {
        super(message);
        this.condition = WriteHealth.Condition.WRITING;
    }

    /**
     * True when trying again later may succeed (the disk is full, the file is locked or an I/O
     * error occurred); false for a refused write that will always be refused (a constraint).
     */
    public boolean isTransient() {
        return condition != WriteHealth.Condition.WRITING;
    }

    /** Why the database refuses writes for now; {@code WRITING} when the failure is not one that passes. */
    public WriteHealth.Condition condition() {
        return condition;
    }

    @Override
    public boolean mayPass() {
        return isTransient();
    }

    private static WriteHealth.Condition conditionOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof org.sqlite.SQLiteException e) {
                return switch (e.getResultCode().code & 0xFF) {
                    case 13 -> WriteHealth.Condition.DISK_FULL; // FULL
                    case 5, 6 -> WriteHealth.Condition.LOCKED; // BUSY, LOCKED
                    case 10, 14 -> WriteHealth.Condition.FAILING; // IOERR, CANTOPEN
                    default -> WriteHealth.Condition.WRITING;
                };
            }
        }
        return WriteHealth.Condition.WRITING;
    }
}
