package dev.loomevent.api;

import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Buffered, callback-driven I/O over a transport: an input and an output {@link Evbuffer}, and read,
 * write and event callbacks run on the callback thread of its {@link EventBase}.
 * <p>libevent: {@code struct bufferevent} and {@code event2/bufferevent.h}. A socket bufferevent
 * reads and writes its channel on a pair of virtual threads; the base enforces the watermarks and
 * runs the callbacks. New bufferevents have {@link Direction#WRITE} enabled and
 * {@link Direction#READ} disabled, as in libevent: call {@code enable(Direction.READ)} to read.
 * <p>Any thread, for every method unless it says otherwise; state guarded by the bufferevent's lock
 * ({@link #lock()}). Memory consistency
 * effects: bytes added to the output before {@code enable(WRITE)} (or while it is enabled) are
 * visible to the writer thread; bytes the reader adds to the input are visible to the read callback.
 * <p>Errors: calls that act on a freed bufferevent throw {@link IllegalStateException}; the getters,
 * {@link #lock()}/{@link #unlock()} and a second {@link #free()} do not. Bad arguments throw
 * {@link IllegalArgumentException} naming them.
 */
public interface Bufferevent extends AutoCloseable {

    /**
     * Creates a socket bufferevent over {@code channel} (null: set later by {@link #connect} or
     * {@link #setChannel}). The channel must be connected or unconnected, blocking or not (it is used
     * in blocking mode). libevent: {@code bufferevent_socket_new}. Any thread.
     *
     * @throws IllegalArgumentException if {@link BevOption#UNLOCK_CALLBACKS} is given without
     *                                  {@link BevOption#DEFER_CALLBACKS}, or {@code channel} is
     *                                  registered with a selector
     * @throws IllegalStateException    if {@code base} was freed
     * @throws java.io.UncheckedIOException if {@code channel} cannot be switched to blocking mode
     */
    static Bufferevent socket(EventBase base, SocketChannel channel, Set<BevOption> options) {
        return ProviderHolder.provider().newSocketBufferevent(base, channel, options);
    }

    // ---- connecting ----------------------------------------------------------------------------

    /**
     * Connects to {@code address} on a virtual thread (opening a channel if there is none). Success
     * reaches the event callback as {@link BevEvent#CONNECTED}, failure as {@link BevEvent#ERROR}
     * alone with {@link #lastError()} set. Bytes written before the connect completes are sent after.
     * A null {@code address} finishes a connect already started on the channel (libevent: a NULL
     * {@code sa}). libevent: {@code bufferevent_socket_connect}.
     *
     * @return 0 when the attempt started, -1 when it could not start (a connect is under way, the
     *         channel is already connected, or no channel could be opened: {@link #lastError()})
     */
    int connect(SocketAddress address);

    /**
     * Resolves {@code host} without blocking the callback thread, then connects to the first address.
     * A numeric address of {@code family} ({@code "127.0.0.1"}, {@code "::1"}) is used as it is,
     * without asking the resolver, as libevent's {@code evutil_getaddrinfo} parses literals first.
     * A resolver failure reaches the event callback as {@link BevEvent#ERROR} with
     * {@link #dnsError()} non-zero. libevent: {@code bufferevent_socket_connect_hostname}.
     *
     * @param resolver null: {@link DnsResolver#system()}
     * @param family   {@code INET}, {@code INET6} or null for either
     * @return 0 when the lookup started
     * @throws IllegalArgumentException if {@code port} is not in 1..65535 or {@code family} is UNIX
     */
    int connectHostname(DnsResolver resolver, StandardProtocolFamily family, String host, int port);

    /**
     * Returns the last {@code connectHostname} resolver error ({@link DnsResolver#EAI_NONAME}, ...),
     * 0 when none: a TCP failure after a good lookup leaves it 0.
     * libevent: {@code bufferevent_socket_get_dns_error}.
     */
    int dnsError();

    /**
     * Returns the exception behind the last ERROR event (I/O, connect or DNS), or null.
     * libevent: {@code EVUTIL_SOCKET_ERROR()} inside the event callback.
     */
    Throwable lastError();

    // ---- callbacks -----------------------------------------------------------------------------

    /**
     * Replaces the three callbacks (null: none; events for a missing callback are lost) and their
     * argument. Takes effect at once, also for callbacks already queued.
     * libevent: {@code bufferevent_setcb}.
     */
    void setCallbacks(DataCallback read, DataCallback write, BevEventCallback event, Object arg);

    /**
     * {@link #setCallbacks(DataCallback, DataCallback, BevEventCallback, Object)} with a null argument.
     * libevent: {@code bufferevent_setcb}.
     */
    default void setCallbacks(DataCallback read, DataCallback write, BevEventCallback event) {
        setCallbacks(read, write, event, null);
    }

    /** Returns the callbacks. libevent: {@code bufferevent_getcb}. */
    BuffereventCallbacks getCallbacks();

    // ---- enabling ------------------------------------------------------------------------------

    /**
     * Enables {@code directions}. Enabling {@link Direction#WRITE} while nothing waits to be written
     * queues the write callback, as libevent's write event fires at once on a writable socket.
     * libevent: {@code bufferevent_enable}.
     */
    void enable(Set<Direction> directions);

    /** Enables one direction. libevent: {@code bufferevent_enable}. */
    default void enable(Direction direction) {
        enable(EnumSet.of(direction));
    }

    /** Disables {@code directions}. libevent: {@code bufferevent_disable}. */
    void disable(Set<Direction> directions);

    /** Disables one direction. libevent: {@code bufferevent_disable}. */
    default void disable(Direction direction) {
        disable(EnumSet.of(direction));
    }

    /**
     * Returns the directions the user enabled (a read held at the high-watermark still counts).
     * libevent: {@code bufferevent_get_enabled}.
     */
    Set<Direction> enabled();

    // ---- watermarks ----------------------------------------------------------------------------

    /**
     * Sets the watermarks of {@code directions}. A read high-watermark stops the reader while the
     * input holds that much; high 0 means unlimited. libevent: {@code bufferevent_setwatermark}.
     *
     * @throws IllegalArgumentException if a value is negative
     */
    void setWatermark(Set<Direction> directions, long low, long high);

    /** Sets the watermarks of one direction. libevent: {@code bufferevent_setwatermark}. */
    default void setWatermark(Direction direction, long low, long high) {
        setWatermark(EnumSet.of(direction), low, high);
    }

    /** Returns the watermarks of one direction. libevent: {@code bufferevent_getwatermark}. */
    Watermark getWatermark(Direction direction);

    // ---- data ----------------------------------------------------------------------------------

    /** Returns the input buffer: the user only removes from it. libevent: {@code bufferevent_get_input}. */
    Evbuffer input();

    /** Returns the output buffer: the user only adds to it. libevent: {@code bufferevent_get_output}. */
    Evbuffer output();

    /** Adds a copy of {@code data} to the output. libevent: {@code bufferevent_write}. */
    default void write(byte[] data) {
        write(data, 0, data.length);
    }

    /** Adds a copy of {@code len} bytes of {@code data} to the output. libevent: {@code bufferevent_write}. */
    void write(byte[] data, int off, int len);

    /** Adds the remaining bytes of {@code data} to the output. libevent: {@code bufferevent_write}. */
    void write(ByteBuffer data);

    /** Moves all of {@code buffer} to the output. libevent: {@code bufferevent_write_buffer}. */
    void writeBuffer(Evbuffer buffer);

    /** Removes up to {@code len} bytes of input into {@code out}; returns how many. libevent: {@code bufferevent_read}. */
    int read(byte[] out, int off, int len);

    /** Moves all input to {@code buffer}. libevent: {@code bufferevent_read_buffer}. */
    void readBuffer(Evbuffer buffer);

    // ---- timeouts, flush, priority -------------------------------------------------------------

    /**
     * Sets the read and write timeouts (null or zero: none). A timeout counts only while its direction
     * waits: reading enabled and not held by the high-watermark; output not empty. On expiry the
     * direction is disabled and the event callback gets {@code TIMEOUT|READING} or
     * {@code TIMEOUT|WRITING}; the connection stays open. libevent: {@code bufferevent_set_timeouts}.
     *
     * @throws IllegalArgumentException if a timeout is negative
     */
    void setTimeouts(Duration read, Duration write);

    /**
     * Flushes {@code directions} with {@code mode}; returns -1 on failure, 0 when nothing was flushed,
     * 1 when something was. Socket bufferevents return 0 (their writer always drains).
     * libevent: {@code bufferevent_flush}.
     */
    int flush(Set<Direction> directions, FlushMode mode);

    /**
     * Sets the priority of the bufferevent's callbacks on its base.
     * libevent: {@code bufferevent_priority_set} (socket bufferevents only).
     *
     * @return 0, or -1 for kinds without priorities or when {@code priority} is not in
     *         0..{@code base().priorities() - 1}
     */
    int setPriority(int priority);

    /** Returns the priority. libevent: {@code bufferevent_get_priority}. */
    int priority();

    /**
     * Sets the most bytes one read of the transport appends to the input; 0, or more than
     * {@link Integer#MAX_VALUE}, restores the default (65,536; system property
     * {@code loomevent.bufferevent.maxSingleRead}). libevent: {@code bufferevent_set_max_single_read}
     * (whose default is 16,384). Any thread.
     *
     * @return 0
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws IllegalStateException if the bufferevent is freed
     */
    int setMaxSingleRead(long size);

    /** Returns the most bytes one read appends. libevent: {@code bufferevent_get_max_single_read}. Any thread. */
    long getMaxSingleRead();

    /**
     * Sets the most bytes one write to the transport sends; 0, or more than
     * {@link Integer#MAX_VALUE}, restores the default (65,536; system property
     * {@code loomevent.bufferevent.maxSingleWrite}). libevent: {@code bufferevent_set_max_single_write}
     * (whose default is 16,384). Any thread.
     *
     * @return 0
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws IllegalStateException if the bufferevent is freed
     */
    int setMaxSingleWrite(long size);

    /** Returns the most bytes one write sends. libevent: {@code bufferevent_get_max_single_write}. Any thread. */
    long getMaxSingleWrite();

    // ---- transport -----------------------------------------------------------------------------

    /**
     * Replaces the channel (its I/O threads move to the new one; an outstanding lookup is cancelled).
     * libevent: {@code bufferevent_setfd}.
     *
     * @return 0, or -1 for kinds without a channel or when {@code channel} cannot be switched to
     *         blocking mode
     * @throws IllegalArgumentException if {@code channel} is registered with a selector
     */
    int setChannel(SocketChannel channel);

    /** Returns the channel, or null. libevent: {@code bufferevent_getfd}. */
    SocketChannel channel();

    /** Returns the base. libevent: {@code bufferevent_get_base}. */
    EventBase base();

    /** Returns the bufferevent under a filter, or null. libevent: {@code bufferevent_get_underlying}. */
    Bufferevent underlying();

    /**
     * Returns the options the bufferevent was created with. libevent has no public counterpart (it
     * keeps them in the private {@code bufferevent_private.options}).
     */
    Set<BevOption> options();

    // ---- locking, triggering, lifetime ---------------------------------------------------------

    /** Takes the bufferevent's recursive lock, which also guards both buffers. libevent: {@code bufferevent_lock}. */
    void lock();

    /** Releases {@link #lock()}. libevent: {@code bufferevent_unlock}. The locking thread. */
    void unlock();

    /**
     * Runs the read and/or write callback as if data had arrived / drained, honouring the watermarks
     * unless {@link TriggerOption#IGNORE_WATERMARKS}; deferred with
     * {@link TriggerOption#DEFER_CALLBACKS}. libevent: {@code bufferevent_trigger}.
     * <p>Any thread: the callback runs on the caller's stack only when called on the callback thread
     * without {@link TriggerOption#DEFER_CALLBACKS} or {@link BevOption#DEFER_CALLBACKS}; otherwise
     * it is queued to the callback thread.
     */
    void trigger(Set<Direction> directions, Set<TriggerOption> options);

    /**
     * Runs the event callback with {@code events}. libevent: {@code bufferevent_trigger_event}.
     * Any thread; where it runs as for {@link #trigger}.
     */
    void triggerEvent(int events, Set<TriggerOption> options);

    /**
     * Adds a reference. libevent: {@code bufferevent_incref}.
     *
     * @throws IllegalStateException if the bufferevent was already destroyed
     */
    void incref();

    /**
     * Drops a reference; returns 1 if that destroyed the bufferevent, else 0.
     * libevent: {@code bufferevent_decref}.
     *
     * @throws IllegalStateException if the bufferevent was already destroyed
     */
    int decref();

    /**
     * Clears the callbacks and drops the user's reference: no callback runs after this returns (on the
     * callback thread) or after the one running now (elsewhere). Pending output is dropped, as in
     * libevent; with {@link BevOption#CLOSE_ON_FREE} the channel is closed before this returns.
     * A second call does nothing. libevent: {@code bufferevent_free}.
     */
    void free();

    /**
     * Clears the callbacks (none runs afterwards), stops reading, lets the writer send what the
     * output holds, then frees; after a failed connect, lookup or write it frees without sending.
     * Not in libevent (its users wait for the write callback, then free); Netty users know it as
     * {@code writeAndFlush(...).addListener(CLOSE)}.
     *
     * @throws IllegalStateException if the bufferevent is freed
     */
    void closeAfterFlush();

    /** Same as {@link #free()}. libevent: {@code bufferevent_free}. */
    @Override
    default void close() {
        free();
    }
}
