package dev.loomevent.loadtest.report;

/**
 * One interval (normally one second) of one part of a run.
 * <p>Immutable.
 *
 * @param end       end of the interval, seconds since the run started
 * @param seconds   length of the interval in seconds
 * @param warmup    whether the interval belongs to the warm-up (left out of the totals)
 * @param messages  messages echoed and verified in the interval
 * @param bytes     bytes echoed and verified in the interval
 * @param connects  connections opened in the interval
 * @param errors    errors in the interval
 * @param open      connections open at its end
 * @param p50Nanos  median latency of the interval, ns (0 when no message)
 * @param p99Nanos  99th percentile latency of the interval, ns
 * @param maxNanos  largest latency of the interval, ns
 */
public record Sample(double end, double seconds, boolean warmup, long messages, long bytes, long connects,
                     long errors, int open, long p50Nanos, long p99Nanos, long maxNanos) {

    /** Returns messages per second in the interval. */
    public double messagesPerSecond() {
        return seconds > 0 ? messages / seconds : 0;
    }

    /** Returns echoed megabytes (10^6 bytes) per second in the interval. */
    public double megabytesPerSecond() {
        return seconds > 0 ? bytes / seconds / 1e6 : 0;
    }
}
