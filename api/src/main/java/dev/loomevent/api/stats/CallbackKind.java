package dev.loomevent.api.stats;

/**
 * The kinds of callback an event base counts and times.
 * <p>libevent has no counterpart (it keeps no statistics).
 * <p>Immutable.
 */
public enum CallbackKind {
    /** Bufferevent read callbacks. */
    READ,
    /** Bufferevent write callbacks. */
    WRITE,
    /** Bufferevent event callbacks. */
    EVENT,
    /** Listener accept callbacks. */
    ACCEPT,
    /** Timer, signal and user-event callbacks. */
    TIMER,
    /** Tasks given to {@link dev.loomevent.api.EventBase#execute} and other deferred work. */
    DEFERRED
}
