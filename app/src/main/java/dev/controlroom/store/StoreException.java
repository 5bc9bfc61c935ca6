package dev.controlroom.store;

/** A storage failure, with a message that names the database and what was being done. */
public final class StoreException extends RuntimeException implements dev.controlroom.orchestrator.port.RunLedger.MayPass {
    private final boolean transientFailure;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
        this.transientFailure = isTransient(cause);
    }

    public StoreException(String message) {
        super(message);
        this.transientFailure = false;
    }

    /**
     * True when trying again later may succeed (the disk is full, the file is locked or an I/O
     * error occurred); false for a refused write that will always be refused (a constraint).
     */
    public boolean isTransient() {
        return transientFailure;
    }

    @Override
    public boolean mayPass() {
        return transientFailure;
    }

    private static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof org.sqlite.SQLiteException e) {
                return switch (e.getResultCode().code & 0xFF) {
                    case 5, 6, 10, 13, 14 -> true; // BUSY, LOCKED, IOERR, FULL, CANTOPEN
                    default -> false;
                };
            }
        }
        return false;
    }
}
