package dev.loomevent.api.stats;

/**
 * What a listener and the connections it accepted have done, for monitoring. Counters only grow;
 * gauges are read at the moment of the call.
 * <p>libevent has no counterpart; the {@code dev.loomevent.metrics} module exports this view.
 * <p>Any thread; reads are cheap and lock-free. New statistics arrive as {@code default} methods
 * returning 0, as for {@link EventBaseStats}.
 */
public interface ListenerStats {
    /** Returns the listener's name (the {@code listener} tag): its bound address. */
    String name();

    /** Returns how many connections it accepted. */
    long accepted();

    /** Returns how many accept errors it met. */
    long acceptErrors();

    /** Returns how many of its accepted connections were closed. */
    long connectionsClosed();

    /** Returns how many of its accepted connections are open now (gauge). */
    default long connectionsOpen() {
        long closed = connectionsClosed(); // first: see EventBaseStats.connectionsOpen()
        return accepted() - closed;
    }

    /** Returns the bytes read on its accepted connections. */
    long bytesRead();

    /** Returns the bytes written on its accepted connections. */
    long bytesWritten();
}
