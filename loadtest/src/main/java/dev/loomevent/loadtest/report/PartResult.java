package dev.loomevent.loadtest.report;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one part of a run (a plain scenario has one part; {@code mixed} has several),
 * counted over the measured period (after the warm-up).
 * <p>Immutable once built; {@code latency} must not be changed.
 *
 * @param name     the part's name ({@code pingpong}, {@code stream}, ...)
 * @param messages messages echoed and verified
 * @param bytes    bytes echoed and verified
 * @param connects connections opened
 * @param errors   connections that failed (refused, reset) without losing data
 * @param seconds  length of the measured period
 * @param latency  latency of every measured message, ns
 * @param timeline every interval, warm-up included
 */
public record PartResult(String name, long messages, long bytes, long connects, long errors, double seconds,
                         Histogram latency, List<Sample> timeline) {

    /** Returns messages per second over the measured period. */
    public double messagesPerSecond() {
        return seconds > 0 ? messages / seconds : 0;
    }

    /** Returns echoed megabytes (10^6 bytes) per second over the measured period. */
    public double megabytesPerSecond() {
        return seconds > 0 ? bytes / seconds / 1e6 : 0;
    }

    /** Returns connections opened per second over the measured period. */
    public double connectsPerSecond() {
        return seconds > 0 ? connects / seconds : 0;
    }

    /** Returns the latency at {@code percentile} (0..100) in microseconds, 0 when nothing was measured. */
    public double latencyMicros(double percentile) {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1e3;
    }

    /** Returns the largest latency in microseconds. */
    public double maxLatencyMicros() {
        return latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1e3;
    }
}
