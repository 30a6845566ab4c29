package dev.loomevent.api;

/**
 * How hard {@link Bufferevent#flush} pushes data.
 * <p>libevent: {@code enum bufferevent_flush_mode}: {@code BEV_NORMAL}, {@code BEV_FLUSH},
 * {@code BEV_FINISHED}.
 * <p>Immutable.
 */
public enum FlushMode {
    /** libevent: {@code BEV_NORMAL}: ordinary operation. */
    NORMAL,
    /** libevent: {@code BEV_FLUSH}: push everything now, ignoring limits. */
    FLUSH,
    /** libevent: {@code BEV_FINISHED}: no more data will come; flush and signal the end. */
    FINISHED
}
