package dev.loomevent.api;

/**
 * How {@link Evbuffer#ptrSet} moves a position.
 * <p>libevent: {@code EVBUFFER_PTR_SET}, {@code EVBUFFER_PTR_ADD}.
 * <p>Immutable.
 */
public enum PtrHow {
    /** Set the position to the given offset from the start of the buffer. */
    SET,
    /** Move the position forward by the given number of bytes. */
    ADD
}
