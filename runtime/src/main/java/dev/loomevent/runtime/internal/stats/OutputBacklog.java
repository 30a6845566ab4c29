package dev.loomevent.runtime.internal.stats;

/**
 * Something a base owns that queues output: its contribution to the base's
 * {@code outputBytesAboveWatermark} gauge, read when metrics are scraped.
 * <p>Any thread; reads without locking, so a value may be momentarily stale.
 */
public interface OutputBacklog {
    /** Returns the bytes queued in the output beyond its write low-watermark (0 when at or below it). */
    long outputBytesAboveWatermark();
}
