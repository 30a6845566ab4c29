package dev.loomevent.api;

/**
 * A direction of a bufferevent: reading from the transport into the input, or writing from the
 * output to the transport.
 * <p>libevent: {@code EV_READ} and {@code EV_WRITE}; pass one {@code Direction} or an
 * {@code EnumSet<Direction>} where libevent takes a mask.
 * <p>Immutable.
 */
public enum Direction {
    /** libevent: {@code EV_READ} (0x02). */
    READ(0x02),
    /** libevent: {@code EV_WRITE} (0x04). */
    WRITE(0x04);

    private final int ev;

    Direction(int ev) {
        this.ev = ev;
    }

    /** Returns libevent's {@code EV_READ}/{@code EV_WRITE} bit for this direction. Any thread. */
    public int evBit() {
        return ev;
    }

    /**
     * Returns the {@link BevEvent} bit that says an event arose in this direction:
     * {@link BevEvent#READING} or {@link BevEvent#WRITING}. Any thread.
     */
    public int bevEventBit() {
        return this == READ ? BevEvent.READING : BevEvent.WRITING;
    }
}
