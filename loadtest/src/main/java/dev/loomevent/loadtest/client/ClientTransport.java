package dev.loomevent.loadtest.client;

import java.net.InetSocketAddress;

/**
 * How the harness's client opens connections and moves bytes; the scenarios see only this, so the
 * same scenario runs over plain sockets or over loomevent's own bufferevents.
 * <p>Any thread.
 */
public interface ClientTransport extends AutoCloseable {

    /** Returns the transport's name as shown in reports ({@code socket}, {@code loomevent}). */
    String name();

    /**
     * Starts connecting to {@code address}; returns at once. The handler then gets
     * {@link ConnectionHandler#onOpen}, data, and finally exactly one
     * {@link ConnectionHandler#onClosed} (also when the connect fails).
     */
    void connect(InetSocketAddress address, ConnectionHandler handler);

    /** Closes every connection still open and releases the transport's threads. */
    @Override
    void close();
}
