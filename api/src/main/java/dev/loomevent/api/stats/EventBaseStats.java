package dev.loomevent.api.stats;

import dev.loomevent.api.Direction;

/**
 * What an event base and its bufferevents have done, for monitoring. Counters only grow; gauges are
 * read at the moment of the call. Every bufferevent of the base counts here: there is deliberately
 * no per-connection view, so that monitoring has bounded cardinality.
 * <p>libevent has no counterpart (its closest is {@code event_base_dump_events}); the
 * {@code dev.loomevent.metrics} module exports this view to Micrometer.
 * <p>Any thread; reads are cheap and lock-free, and values read together are not a consistent
 * snapshot. The engine records with {@code LongAdder}s or single-writer fields, so recording takes
 * no lock and allocates nothing, whether or not anyone reads.
 * <p>Evolution: a later kind of statistic (time waiting on a rate limit, TLS handshakes) is added
 * as a new {@code default} method returning 0, so engines and test doubles written before it keep
 * compiling and every existing method keeps its meaning. Values along a bounded dimension take an
 * enum argument ({@link CallbackKind}, {@link Direction}); a new constant adds a value, not a method.
 */
public interface EventBaseStats {
    /** Returns the base's name (the {@code base} tag). */
    String name();

    /** Returns how many callbacks of {@code kind} ran. */
    long callbacksRun(CallbackKind kind);

    /** Returns the total time, in nanoseconds, that callbacks of {@code kind} ran. */
    long callbackNanos(CallbackKind kind);

    /** Returns how many activations were queued to the callback thread (after coalescing). */
    long activationsQueued();

    /** Returns how many activations wait in the queue now (gauge). */
    long activationQueueDepth();

    /** Returns how many deferred callbacks wait now (gauge). */
    long deferredQueueDepth();

    /** Returns how many loop rounds ran. */
    long loopIterations();

    /** Returns how many timers are pending now (gauge). */
    long pendingTimers();

    /** Returns how many connections (socket bufferevents with a channel) the base has opened or adopted. */
    long connectionsOpened();

    /** Returns how many of those connections were closed or freed. */
    long connectionsClosed();

    /** Returns how many connections are open now (gauge). */
    default long connectionsOpen() {
        // Closed first: a connection opened and closed between the two reads then counts in both,
        // never in the closed count alone, so the result is never negative.
        long closed = connectionsClosed();
        return connectionsOpened() - closed;
    }

    /** Returns the bytes read by the base's bufferevents. */
    long bytesRead();

    /** Returns the bytes written by the base's bufferevents. */
    long bytesWritten();

    /** Returns the total nanoseconds readers were held at their read high-watermark (backpressure). */
    long readHighWatermarkNanos();

    /** Returns the bytes queued in outputs beyond their write low-watermark now (gauge). */
    long outputBytesAboveWatermark();

    /** Returns how many timeouts fired in {@code direction}. */
    long timeouts(Direction direction);

    /** Returns how many EOFs were seen in {@code direction}. */
    long eofs(Direction direction);

    /** Returns how many errors were reported in {@code direction}. */
    long errors(Direction direction);

    /** Returns how many exceptions user callbacks threw. */
    long callbackExceptions();
}
