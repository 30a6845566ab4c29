package dev.loomevent.api;

/**
 * Options of {@link Bufferevent#trigger} and {@link Bufferevent#triggerEvent}.
 * <p>libevent: {@code BEV_TRIG_IGNORE_WATERMARKS}, {@code BEV_TRIG_DEFER_CALLBACKS}.
 * <p>Immutable.
 */
public enum TriggerOption {
    /** Run the callback whatever the watermarks say. */
    IGNORE_WATERMARKS,
    /** Queue the callback to run after the current one instead of running it now. */
    DEFER_CALLBACKS
}
