package dev.loomevent.api;

/**
 * Receives a listener's accept errors that retrying cannot cure at once (too many open files,
 * ...). The listener stays enabled and accepts again once the cause goes away.
 * <p>libevent: {@code evconnlistener_errorcb}. Runs on the listener base's callback thread.
 */
@FunctionalInterface
public interface ListenerErrorCallback {
    /**
     * Reports an accept error.
     *
     * @param listener the listener
     * @param error    what {@code accept} threw
     * @param arg      the listener's argument
     */
    void onError(Listener listener, Exception error, Object arg);
}
