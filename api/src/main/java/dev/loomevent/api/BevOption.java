package dev.loomevent.api;

/**
 * Options given when a bufferevent is created.
 * <p>libevent: {@code BEV_OPT_*}.
 * <p>Immutable.
 */
public enum BevOption {
    /** libevent: {@code BEV_OPT_CLOSE_ON_FREE}: freeing the bufferevent closes its channel. */
    CLOSE_ON_FREE,
    /**
     * libevent: {@code BEV_OPT_THREADSAFE}. loomevent bufferevents are always safe to call from any
     * thread (their I/O threads need the lock anyway); the option is accepted for ported code and
     * makes {@link Bufferevent#lock()} meaningful to callers, exactly as in libevent.
     */
    THREADSAFE,
    /**
     * libevent: {@code BEV_OPT_DEFER_CALLBACKS}: callbacks are queued and run after the current
     * callback returns, never on the stack of the operation that triggered them.
     */
    DEFER_CALLBACKS,
    /**
     * libevent: {@code BEV_OPT_UNLOCK_CALLBACKS}: the bufferevent's lock is not held while deferred
     * callbacks run. Requires {@link #DEFER_CALLBACKS}; creation fails without it.
     */
    UNLOCK_CALLBACKS
}
