package dev.loomevent.api;

import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * Receives each connection a {@link Listener} accepts.
 * <p>libevent: {@code evconnlistener_cb}. Runs on the callback thread of the base the connection
 * was given to ({@link EventBase#current()}): the listener's base, or one of its group's.
 */
@FunctionalInterface
public interface AcceptCallback {
    /**
     * Takes a new connection. The callback owns {@code channel}: it wraps it in a bufferevent
     * (typically with {@link BevOption#CLOSE_ON_FREE}) or closes it.
     *
     * @param listener the listener
     * @param channel  the accepted connection, in blocking mode
     * @param peer     the peer's address
     * @param arg      the argument given when the listener was created
     */
    void onAccept(Listener listener, SocketChannel channel, SocketAddress peer, Object arg);
}
