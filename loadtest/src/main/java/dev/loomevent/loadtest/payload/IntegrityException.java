package dev.loomevent.loadtest.payload;

/**
 * An echo that differs from what was sent: a changed, lost, extra or reordered byte. It fails the run.
 * <p>Immutable.
 */
public final class IntegrityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message saying which connection, message and byte. */
    public IntegrityException(String message) {
        super(message);
    }
}
