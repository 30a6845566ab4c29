package dev.loomevent.api;

import dev.loomevent.api.stats.ListenerStats;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Set;

/**
 * Accepts TCP connections on a virtual thread and hands each to a callback on a base's callback
 * thread.
 * <p>libevent: {@code struct evconnlistener}.
 * <p>Any thread, for every method. Errors: {@link #enable()}, {@link #disable()} and
 * {@link #setCallback} on a freed listener throw {@link IllegalStateException}.
 */
public interface Listener extends AutoCloseable {

    /**
     * Creates a server socket bound to {@code address} (port 0: ephemeral, see {@link #localAddress()})
     * and accepts on it. libevent: {@code evconnlistener_new_bind}.
     *
     * @param backlog the listen backlog; negative: 128
     * @throws IllegalArgumentException if {@code backlog == 0} (libevent fails there too)
     * @throws java.io.UncheckedIOException if binding fails, e.g. the port is in use
     */
    static Listener bind(EventBase base, AcceptCallback callback, Object arg, Set<ListenerOption> options,
                         int backlog, SocketAddress address) {
        return ProviderHolder.provider().bindListener(base, null, null, callback, arg, options, backlog, address);
    }

    /**
     * As {@link #bind(EventBase, AcceptCallback, Object, Set, int, SocketAddress)}, but each accepted
     * connection is given to a base of {@code group} chosen by {@code distribution}, and the callback
     * runs on that base's callback thread. The listener belongs to the group's first base: errors
     * go there, and freeing that base frees the listener (as freeing a plain listener's base does).
     */
    static Listener bind(EventBaseGroup group, EventBaseGroup.Distribution distribution, AcceptCallback callback,
                         Object arg, Set<ListenerOption> options, int backlog, SocketAddress address) {
        return ProviderHolder.provider().bindListener(null, group, distribution, callback, arg, options, backlog, address);
    }

    /**
     * Accepts on an already bound server socket (switched to non-blocking mode: the acceptor waits
     * in a selector). libevent: {@code evconnlistener_new}.
     *
     * @param backlog ignored: a bound Java server socket already listens with the backlog given to
     *                its {@code bind} (libevent: 0 means "already listening")
     * @throws IllegalArgumentException if {@code channel} is not bound
     */
    static Listener wrap(EventBase base, ServerSocketChannel channel, AcceptCallback callback, Object arg,
                         Set<ListenerOption> options, int backlog) {
        return ProviderHolder.provider().wrapListener(base, channel, callback, arg, options, backlog);
    }

    /** Starts (again) accepting. libevent: {@code evconnlistener_enable}. */
    void enable();

    /**
     * Stops accepting; connections wait in the backlog, and one accepted in that instant waits in the
     * listener until {@link #enable()}. libevent: {@code evconnlistener_disable}.
     */
    void disable();

    /** Returns whether the listener is enabled. libevent has no public counterpart. */
    boolean isEnabled();

    /**
     * Replaces the accept callback. libevent: {@code evconnlistener_set_cb}, quirks included: a
     * listener that is accepting and gets a null callback goes on accepting and closes each
     * connection at once; a listener enabled (or bound) without a callback does not accept —
     * connections wait in the backlog — until a callback is set.
     */
    void setCallback(AcceptCallback callback, Object arg);

    /** Sets the error callback (null: log). libevent: {@code evconnlistener_set_error_cb}. */
    void setErrorCallback(ListenerErrorCallback callback);

    /** Returns the server socket. libevent: {@code evconnlistener_get_fd}. */
    ServerSocketChannel channel();

    /**
     * Returns the bound address, with the real port when bound to port 0. libevent has no
     * counterpart ({@code getsockname} on {@code evconnlistener_get_fd}).
     */
    SocketAddress localAddress();

    /** Returns the listener's base (a group's first). libevent: {@code evconnlistener_get_base}. */
    EventBase base();

    /** Returns the listener's statistics. libevent has no counterpart. */
    ListenerStats stats();

    /**
     * Stops accepting and releases the listener; closes the server socket only with
     * {@link ListenerOption#CLOSE_ON_FREE}; connections accepted but not yet handed to the callback
     * are closed. Safe inside the accept callback; a second call does nothing.
     * libevent: {@code evconnlistener_free}.
     */
    void free();

    /** Same as {@link #free()}. libevent: {@code evconnlistener_free}. */
    @Override
    default void close() {
        free();
    }
}
