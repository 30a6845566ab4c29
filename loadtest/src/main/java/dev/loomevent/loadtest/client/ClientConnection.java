package dev.loomevent.loadtest.client;

/**
 * One client connection of a {@link ClientTransport}.
 * <p>Any thread.
 */
public interface ClientConnection {

    /** Returns a number identifying the connection in failure messages. */
    long id();

    /**
     * Sends {@code len} bytes of {@code data}. The bytes are copied or written before this returns, so
     * the caller may reuse the array. It may block while the kernel's send buffer is full (plain
     * sockets) or queue the bytes (bufferevents).
     *
     * @throws java.io.UncheckedIOException if the connection failed
     */
    void send(byte[] data, int off, int len);

    /** Closes the connection; {@link ConnectionHandler#onClosed} follows with no error. Idempotent. */
    void close();
}
