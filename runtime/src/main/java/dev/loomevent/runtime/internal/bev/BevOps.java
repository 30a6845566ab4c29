package dev.loomevent.runtime.internal.bev;

import dev.loomevent.api.Direction;
import dev.loomevent.api.DnsResolver;
import dev.loomevent.api.FlushMode;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;

/**
 * What one kind of bufferevent (socket, pair, filter) does underneath the generic
 * {@link BuffereventCore}: libevent's {@code struct bufferevent_ops}. The core owns the lock, the
 * reference count, the enabled and suspended directions, watermarks, timeouts and callback
 * dispatch; the kind moves bytes.
 * <p>The core calls every method with its lock held, except where a method says otherwise.
 * Methods need not adjust the core's {@code enabled} bits (the core already did).
 */
public interface BevOps {

    /**
     * Starts (or resumes) I/O in {@code directions} ({@link BuffereventCore#READ}/{@link BuffereventCore#WRITE}
     * bits), which are enabled and not suspended.
     */
    void enable(int directions);

    /** Stops I/O in {@code directions} (bits) at the next boundary. */
    void disable(int directions);

    /** The user freed the bufferevent: stop all I/O; references may still be held. */
    void unlink();

    /** The last reference is gone: release the transport (close it with CLOSE_ON_FREE). */
    void destruct();

    /**
     * Returns whether {@code direction} is waiting for the transport now, so that its timeout
     * counts: reading enabled, not suspended and not held by the high-watermark; writing enabled
     * with bytes to send.
     */
    boolean waiting(Direction direction);

    /** libevent {@code be_ops->flush}: returns -1, 0 or 1 as {@code bufferevent_flush}. */
    int flush(int directions, FlushMode mode);

    /** The input was drained below the read high-watermark or the watermarks changed: resume reading if held. */
    void inputDrained();

    /** Bytes were added to the output: wake the writer if it sleeps. Called with the output's lock held. */
    void outputAdded();

    /**
     * Whether writing is connected and idle with nothing to write: libevent's write event would
     * fire at once and run the write callback when the user enables writing. Lock held.
     */
    default boolean writeIdle() {
        return false;
    }

    // ---- ctrl: kind-specific operations; the defaults are what kinds without them answer ----

    /** libevent {@code bufferevent_socket_connect}. */
    default int connect(SocketAddress address) {
        return -1;
    }

    /** libevent {@code bufferevent_socket_connect_hostname}. Called without the lock. */
    default int connectHostname(DnsResolver resolver, StandardProtocolFamily family, String host, int port) {
        return -1;
    }

    /** libevent {@code bufferevent_socket_get_dns_error}. */
    default int dnsError() {
        return 0;
    }

    /** libevent {@code BEV_CTRL_SET_FD}. */
    default int setChannel(SocketChannel channel) {
        return -1;
    }

    /** libevent {@code BEV_CTRL_GET_FD}. */
    default SocketChannel channel() {
        return null;
    }

    /** Whether {@code bufferevent_priority_set} applies to this kind. */
    default boolean hasPriority() {
        return false;
    }

    /** libevent {@code BEV_CTRL_GET_UNDERLYING}. */
    default dev.loomevent.api.Bufferevent underlying() {
        return null;
    }
}
