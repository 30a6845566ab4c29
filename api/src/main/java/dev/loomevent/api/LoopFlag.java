package dev.loomevent.api;

/**
 * Flags of {@link EventBase#loop}.
 * <p>libevent: {@code EVLOOP_ONCE}, {@code EVLOOP_NONBLOCK}, {@code EVLOOP_NO_EXIT_ON_EMPTY}.
 * <p>Immutable.
 */
public enum LoopFlag {
    /** Wait until something is active, run one round of active callbacks, return. */
    ONCE,
    /** Run what is active now without waiting, return. */
    NONBLOCK,
    /** Do not return just because nothing is pending; only loopExit/loopBreak end the loop. */
    NO_EXIT_ON_EMPTY
}
