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
     * thread (their I/O threads need the lock anyway). What the option still changes, as in
     * libevent: the user callbacks run with the bufferevent's lock held (unless
     * {@link #UNLOCK_CALLBACKS}), so other threads that take {@link Bufferevent#lock()} see no
     * callback half-way. Without it callbacks run without the lock and the I/O threads keep going
     * while they run.
     */
    THREADSAFE,
    /**
     * libevent: {@code BEV_OPT_DEFER_CALLBACKS}: callbacks are never run on the stack of the
     * operation that triggered them: {@link Bufferevent#trigger} and {@link Bufferevent#triggerEvent}
     * on the callback thread are queued too, and several event flags posted before the queued call
     * runs reach the event callback OR'ed into one call (CONNECTED always first, alone). Callbacks
     * triggered by the I/O threads are queued with or without this option.
     */
    DEFER_CALLBACKS,
    /**
     * libevent: {@code BEV_OPT_UNLOCK_CALLBACKS}: the bufferevent's lock is not held while deferred
     * callbacks run (it only matters with {@link #THREADSAFE}). Requires {@link #DEFER_CALLBACKS};
     * creation fails without it.
     */
    UNLOCK_CALLBACKS
}
