package dev.loomevent.loadtest.client;

import java.nio.ByteBuffer;

/**
 * What a scenario does with one connection. The callbacks of one connection never run concurrently
 * with each other.
 * <p>Runs on the transport's thread for the connection.
 */
public interface ConnectionHandler {

    /** The connection is established; the handler may send. */
    void onOpen(ClientConnection connection);

    /**
     * Bytes arrived. {@code data} is valid only during the call. An exception thrown here closes
     * the connection and reaches {@link #onClosed} as its error.
     */
    void onData(ClientConnection connection, ByteBuffer data);

    /**
     * The connection ended: closed by {@link ClientConnection#close()} ({@code error} null), by the
     * peer ({@code error} null, {@code byPeer} true), or failed ({@code error} set; also when the
     * connect failed).
     */
    void onClosed(ClientConnection connection, boolean byPeer, Throwable error);
}
