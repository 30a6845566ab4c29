package dev.loomevent.api;

/**
 * A position inside an {@link Evbuffer}, as returned by its searches.
 * <p>libevent: {@code struct evbuffer_ptr}; {@code pos == -1} means "not found". A position is
 * only meaningful for the buffer that produced it, and only until bytes are removed from its front.
 * <p>Immutable.
 *
 * @param position offset from the start of the buffer, or -1 when nothing was found
 */
public record EvbufferPtr(long position) {
    /** The "not found" answer of the searches. */
    public static final EvbufferPtr NOT_FOUND = new EvbufferPtr(-1);
    /** The start of any buffer. */
    public static final EvbufferPtr START = new EvbufferPtr(0);

    /**
     * Creates a position.
     *
     * @throws IllegalArgumentException if {@code position < -1}
     */
    public EvbufferPtr {
        if (position < -1) {
            throw new IllegalArgumentException("position must be >= -1 (-1 = not found), was " + position);
        }
    }

    /** Returns whether this is a real position rather than {@link #NOT_FOUND}. libevent: {@code pos != -1}. Any thread. */
    public boolean found() {
        return position >= 0;
    }
}
