package dev.loomevent.api;

/**
 * Called after an {@link Evbuffer} changed.
 * <p>libevent: {@code evbuffer_cb_func}. Runs on the thread that changed the buffer, with the buffer's
 * lock held, unless the buffer defers its callbacks to an event base
 * ({@link Evbuffer#deferCallbacks}), in which case it runs on that base's callback thread, also with
 * the lock held. A bufferevent's input and output always defer to its base.
 */
@FunctionalInterface
public interface EvbufferCallback {
    /**
     * Reports a change.
     *
     * @param buffer the buffer that changed
     * @param info   its length before, and the bytes added and deleted
     */
    void onChange(Evbuffer buffer, EvbufferCbInfo info);
}
