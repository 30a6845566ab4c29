package dev.loomevent.runtime.internal.bev;

/**
 * Why a direction of a bufferevent is suspended although the user enabled it: libevent's
 * {@code BEV_SUSPEND_*}. Reasons combine, so a watermark hold and a rate limit do not undo each
 * other; the core keeps them as a bit mask ({@link #bit()}) per direction.
 * <p>Immutable.
 */
public enum Suspend {
    /** libevent {@code BEV_SUSPEND_WM}: the input reached the read high-watermark. */
    WATERMARK,
    /** libevent {@code BEV_SUSPEND_BW}: a rate limit ran out. */
    BANDWIDTH,
    /** libevent {@code BEV_SUSPEND_LOOKUP}: a {@code connectHostname} lookup is running. */
    LOOKUP,
    /** libevent {@code BEV_SUSPEND_FILT_READ}: a filter holds its underlying's reading. */
    FILTER;

    /** Returns the reason's bit in a suspend mask. */
    public int bit() {
        return 1 << ordinal();
    }
}
