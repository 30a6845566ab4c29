package dev.loomevent.runtime.internal.listener;

import dev.loomevent.api.stats.ListenerStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one listener and of the connections it accepted.
 * <p>Any thread: {@link LongAdder}s, so the I/O threads of many connections record without
 * contention or locks.
 */
public final class ListenerStatsImpl implements ListenerStats {
    private final String name;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder acceptErrors = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();

    ListenerStatsImpl(String name) {
        this.name = name;
    }

    void recordAccepted() {
        accepted.increment();
    }

    void recordAcceptError() {
        acceptErrors.increment();
    }

    /** Records that one of the accepted connections was closed. */
    public void connectionClosed() {
        closed.increment();
    }

    /** Records bytes read on an accepted connection. */
    public void bytesRead(long n) {
        bytesRead.add(n);
    }

    /** Records bytes written on an accepted connection. */
    public void bytesWritten(long n) {
        bytesWritten.add(n);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long accepted() {
        return accepted.sum();
    }

    @Override
    public long acceptErrors() {
        return acceptErrors.sum();
    }

    @Override
    public long connectionsClosed() {
        return closed.sum();
    }

    @Override
    public long bytesRead() {
        return bytesRead.sum();
    }

    @Override
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    @Override
    public String toString() {
        return "ListenerStats[" + name + "]";
    }
}
