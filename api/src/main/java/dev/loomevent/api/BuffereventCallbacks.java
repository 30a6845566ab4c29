package dev.loomevent.api;

/**
 * A bufferevent's three callbacks and their shared argument.
 * <p>libevent: the out-parameters of {@code bufferevent_getcb}.
 * <p>Immutable.
 *
 * @param read  the read callback, or null
 * @param write the write callback, or null
 * @param event the event callback, or null
 * @param arg   the argument passed to each
 */
public record BuffereventCallbacks(DataCallback read, DataCallback write, BevEventCallback event, Object arg) {
    /** No callbacks. */
    public static final BuffereventCallbacks NONE = new BuffereventCallbacks(null, null, null, null);
}
