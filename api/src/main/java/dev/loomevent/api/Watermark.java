package dev.loomevent.api;

/**
 * The low and high watermark of one direction of a bufferevent. A high of 0 means unlimited.
 * <p>libevent: the out-parameters of {@code bufferevent_getwatermark}.
 * <p>Immutable.
 *
 * @param low  the low watermark
 * @param high the high watermark, 0 for none
 */
public record Watermark(long low, long high) {
    /** libevent's defaults: 0 and 0. */
    public static final Watermark NONE = new Watermark(0, 0);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if either is negative
     */
    public Watermark {
        if (low < 0) throw new IllegalArgumentException("low watermark must be >= 0, was " + low);
        if (high < 0) throw new IllegalArgumentException("high watermark must be >= 0, was " + high);
    }
}
