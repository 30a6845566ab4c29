package dev.loomevent.api;

/**
 * A bufferevent's event callback: EOF, errors, timeouts, connects.
 * <p>libevent: {@code bufferevent_event_cb}. Runs on the callback thread of the bufferevent's base.
 */
@FunctionalInterface
public interface BevEventCallback {
    /**
     * Reports an event.
     *
     * @param bev    the bufferevent
     * @param events a mask of {@link BevEvent} bits, e.g. {@code EOF | READING}
     * @param arg    the argument given to {@link Bufferevent#setCallbacks}
     */
    void onEvent(Bufferevent bev, int events, Object arg);
}
