package dev.loomevent.loadtest.target;

import java.net.InetSocketAddress;

/**
 * An echo server running in this JVM.
 * <p>Any thread.
 */
public interface EchoServer extends AutoCloseable {

    /** Returns where it listens. */
    InetSocketAddress address();

    /** Stops accepting, closes every connection and frees the server's threads. */
    @Override
    void close();
}
