package dev.loomevent.runtime.internal.bev;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.DnsResolver;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.FlushMode;
import dev.loomevent.runtime.internal.dns.SystemResolver;
import dev.loomevent.runtime.internal.listener.AcceptedChannels;
import dev.loomevent.runtime.internal.listener.ListenerStatsImpl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * The socket kind: libevent's {@code bufferevent_sock.c}. A connected channel is read by a
 * {@link SocketReader} and written by a {@link SocketWriter}, each on its own virtual thread doing
 * plain blocking I/O; both are started lazily (the reader at the first {@code enable(READ)}, the
 * writer at the first byte to send) and then park when they have nothing to do.
 * <p>Any thread; state guarded by the core's lock, except the volatile fields, which the I/O
 * threads test without it (each says why).
 * <p>The I/O threads belong to one <em>generation</em> of the channel: {@code setChannel},
 * {@code connect} and {@code free} start a new generation, and a thread of an older one stops at
 * its next boundary. A thread blocked in a read is never interrupted (that would close the
 * channel); if it was freed without {@link BevOption#CLOSE_ON_FREE} and then receives bytes, it
 * leaves them through {@link ReadHandover} to the channel's next bufferevent, whose reader does not
 * read the channel until it has.
 */
public final class SocketOps implements BevOps {
    static final int NONE = 0;
    static final int CONNECTING = 1;
    static final int CONNECTED = 2;
    static final int FAILED = 3;

    /** How long a writer with nothing to send parks before it ends. */
    static final long WRITER_IDLE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    private static final ThreadFactory VIRTUAL = Thread.ofVirtual().name("loomevent-io").factory();
    private static final VarHandle READER;
    private static final VarHandle WRITER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            READER = l.findVarHandle(SocketOps.class, "reader", Thread.class);
            WRITER = l.findVarHandle(SocketOps.class, "writer", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final BuffereventCore core;
    private final boolean closeOnFree;
    /** volatile: the I/O threads compare their generation and channel with these without the lock. */
    volatile SocketChannel channel;
    volatile int generation;
    /** volatile: {@link #waiting} and the I/O threads read the connection state without the lock. */
    volatile int state;
    /** The started I/O threads (null until needed); set by CAS so that exactly one of each starts. */
    private volatile Thread reader;
    private volatile Thread writer;
    /** volatile: set by a thread about to park, read by wakers, so that unpark happens only when needed. */
    volatile boolean readerParked;
    volatile boolean writerParked;
    /** volatile: the writer holds bytes it took from the output; the write timeout counts meanwhile. */
    volatile boolean writerBusy;
    private volatile int dnsError;
    /** Asks a parked, idle writer to end; created at the first park. Guarded by core.lock. */
    private dev.loomevent.runtime.internal.base.CallbackScheduler.RearmableTimer writerIdle;
    /** Set by the idle timer, read by the writer under the lock. Guarded by core.lock. */
    private boolean writerRetire;
    private boolean lookupRunning;        // guarded by core.lock
    private int lookups;                  // guarded by core.lock: the token of the newest lookup
    private boolean opened;               // guarded by core.lock
    /** Stats of the listener that accepted the channel, or null. */
    final ListenerStatsImpl listenerStats;

    private SocketOps(BuffereventCore core, SocketChannel channel) {
        this.core = core;
        this.closeOnFree = core.options().contains(BevOption.CLOSE_ON_FREE);
        this.listenerStats = channel == null ? null : AcceptedChannels.claim(channel);
    }

    /**
     * Creates a socket bufferevent: libevent's {@code bufferevent_socket_new}. The channel (null:
     * none yet) is switched to blocking mode.
     */
    public static Bufferevent create(EventBase base, SocketChannel channel, Set<BevOption> options) {
        if (channel != null) {
            try {
                channel.configureBlocking(true);
            } catch (IllegalBlockingModeException e) {
                throw new IllegalArgumentException("channel " + channel + " is registered with a selector", e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        BuffereventCore core = new BuffereventCore(base, options);
        SocketOps ops = new SocketOps(core, channel);
        core.attach(ops);
        core.lock.lock();
        try {
            ops.adopt(channel);
        } finally {
            core.lock.unlock();
        }
        return core;
    }

    /** Takes {@code ch} as the channel of a new generation. Lock held. */
    private void adopt(SocketChannel ch) {
        generation++;
        core.clearReadEnd();
        READER.setVolatile(this, (Thread) null);
        WRITER.setVolatile(this, (Thread) null);
        channel = ch;
        state = ch != null && ch.isConnected() ? CONNECTED : NONE;
        if (state == CONNECTED) {
            markOpened();
            if (core.active(BuffereventCore.READ)) {
                kickReader();
            }
            if (core.output().length() > 0) {
                kickWriter();
            }
        }
    }

    private void markOpened() {
        if (!opened) {
            opened = true;
            core.counters.connectionOpened();
        }
    }

    // ---- waking the I/O threads ----------------------------------------------------------------

    /** The current reader thread, or null (for tests). */
    Thread readerThread() {
        return reader;
    }

    /** Starts the reader if it never ran, or unparks it if it sleeps. Any thread. */
    void kickReader() {
        if (state != CONNECTED || core.readEndPending()) {
            return;
        }
        Thread t = reader;
        if (t == null) {
            SocketChannel ch = channel;
            Thread n = VIRTUAL.newThread(new SocketReader(this, ch, generation));
            if (READER.compareAndSet(this, (Thread) null, n)) {
                n.start();
            }
        } else if (readerParked) {
            LockSupport.unpark(t);
        }
    }

    /** Starts the writer if it never ran, or unparks it if it sleeps. Any thread. */
    void kickWriter() {
        Thread t = writer;
        if (t == null) {
            // writerBusy with no writer: the writer of the previous channel (setChannel) is still in
            // a write from the output's front; a second writer would send those bytes again. That
            // writer starts this one when its write ends (kickWriterIfWork()).
            if (state != CONNECTED || writerBusy) {
                return;
            }
            SocketChannel ch = channel;
            Thread n = VIRTUAL.newThread(new SocketWriter(this, ch, generation));
            if (WRITER.compareAndSet(this, (Thread) null, n)) {
                n.start();
            }
        } else if (writerParked) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Starts (or wakes) the writer if it has something to do: bytes to send while writing is
     * active, or a closeAfterFlush() to finish. Called (lock held) when a connect completes, and by
     * a writer that found its channel replaced ({@link #kickWriter()} put the new one off while
     * that writer was still writing).
     */
    void kickWriterIfWork() {
        if ((core.active(BuffereventCore.WRITE) && core.output().length() > 0) || core.closingAfterFlush()) {
            kickWriter();
        }
    }

    /**
     * Called by the writer (lock held) before it parks with an empty output: ends it if the idle
     * timer asked so, else (re)arms that timer — a volatile store while it is pending, so the
     * per-message cost stays flat. Returns whether the writer must end.
     */
    boolean retireWriter(SocketWriter w) {
        if (writerRetire) {
            writerRetire = false;
            Thread t = writer;
            if (t == Thread.currentThread()) {
                WRITER.compareAndSet(this, t, (Thread) null);
                writerParked = false;
                return true;
            }
            return false;
        }
        if (writerIdle == null) {
            writerIdle = core.scheduler.newTimer(this::writerIdleExpired);
        }
        writerIdle.rearm(WRITER_IDLE_NANOS);
        return false;
    }

    /** The reader delivered EOF or an error and ends; returns false if it is not the current reader. Lock held. */
    boolean readerEnded(SocketReader r) {
        Thread t = reader;
        if (t == Thread.currentThread()) {
            readerParked = false;
            return READER.compareAndSet(this, t, (Thread) null);
        }
        return false;
    }

    /** The calling reader thread ends; forgets it if it is still the current one. Lock not held. */
    void readerGone() {
        Thread t = Thread.currentThread();
        if (reader != t) {
            return;
        }
        core.lock.lock();
        try {
            if (READER.compareAndSet(this, t, (Thread) null)) {
                readerParked = false;
            }
        } finally {
            core.lock.unlock();
        }
    }

    /** The writer found work: an idle request that raced with it no longer applies. Lock held. */
    void writerWorking() {
        writerRetire = false;
    }

    /** Callback thread: the writer parked for a while; wake it to end if it still has nothing to do. */
    private void writerIdleExpired() {
        core.lock.lock();
        try {
            Thread t = writer;
            if (t != null && writerParked && !writerBusy && core.output().length() == 0) {
                writerRetire = true;
                LockSupport.unpark(t);
            }
        } finally {
            core.lock.unlock();
        }
    }

    // ---- BevOps --------------------------------------------------------------------------------

    @Override
    public void enable(int directions) {
        if ((directions & BuffereventCore.READ) != 0) {
            kickReader();
        }
        if ((directions & BuffereventCore.WRITE) != 0) {
            if (core.output().length() > 0) {
                kickWriter();
            }
            if (core.closingAfterFlush()) {
                outputAdded();
            }
        }
    }

    @Override
    public void disable(int directions) {
        // The threads test the enabled bits at their next boundary; nothing to stop here.
    }

    @Override
    public void unlink() {
        if (!closeOnFree) {
            // With CLOSE_ON_FREE the channel closes: nobody may read it after this bufferevent.
            markReaderStale();
        }
        generation++;
        if (writerIdle != null) {
            writerIdle.cancel();
        }
        wakeBoth();
    }

    /**
     * The reader (if any) is about to lose its channel, and may be in a read of it that only bytes
     * from the peer end: the channel's next reader must wait for it (ReadHandover). Lock held.
     */
    private void markReaderStale() {
        Thread r = reader;
        SocketChannel ch = channel;
        if (r != null && ch != null && ch.isOpen()) {
            ReadHandover.stale(ch, r);
        }
    }

    /**
     * Lets go of the channel (its reader turns stale) and takes {@code ch}. The old threads are
     * woken only after the new generation is set: a reader waiting its turn in
     * {@link ReadHandover#awaitTurn} tests the generation without the lock, and one woken before
     * would park again, stale for good. Lock held.
     */
    private void replaceChannel(SocketChannel ch) {
        markReaderStale();
        Thread r = reader;
        Thread w = writer;
        adopt(ch);
        wake(r, w);
    }

    private void wakeBoth() {
        wake(reader, writer);
    }

    private static void wake(Thread r, Thread w) {
        if (r != null) {
            LockSupport.unpark(r);
        }
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    @Override
    public void destruct() {
        SocketChannel ch = channel;
        if (closeOnFree && ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Closing a socket fails only when it is already broken; the bufferevent is gone either way.
            }
        }
        if (opened) {
            core.counters.connectionClosed();
            if (listenerStats != null) {
                listenerStats.connectionClosed();
            }
        }
    }

    @Override
    public boolean waiting(Direction direction) {
        int s = state;
        if (direction == Direction.READ) {
            if (!core.active(BuffereventCore.READ)) {
                return false;
            }
            if (s == CONNECTING || s == NONE) {
                // No channel (or not connected yet): nothing can arrive, so reading waits, as
                // libevent's read event on fd -1 does until its timeout.
                return true;
            }
            long high = core.readHigh();
            return s == CONNECTED && (high == 0 || core.input().length() < high);
        }
        if (!core.active(BuffereventCore.WRITE)) {
            return false;
        }
        return s == CONNECTING || (s == NONE && core.output().length() > 0)
                || (s == CONNECTED && (writerBusy || core.output().length() > 0));
    }

    /** libevent {@code be_socket_flush}: socket bufferevents do nothing and return 0. */
    @Override
    public int flush(int directions, FlushMode mode) {
        return 0;
    }

    @Override
    public void inputDrained() {
        Thread r = reader;
        if (r != null && readerParked) {
            LockSupport.unpark(r);
        }
    }

    @Override
    public boolean writeIdle() {
        return state == CONNECTED && !writerBusy && core.output().length() == 0;
    }

    @Override
    public void outputAdded() {
        if (core.closingAfterFlush() && state != CONNECTED && state != CONNECTING && !lookupRunning) {
            // Nothing can ever be sent: free now, on the callback thread. (A running lookup will
            // connect, and the connect then hands the output to the writer.)
            core.scheduler.defer(core::free);
            return;
        }
        if (core.active(BuffereventCore.WRITE)) {
            kickWriter();
        }
    }

    @Override
    public boolean hasPriority() {
        return true;
    }

    @Override
    public SocketChannel channel() {
        return channel;
    }

    @Override
    public int dnsError() {
        return dnsError;
    }

    @Override
    public int setChannel(SocketChannel ch) {
        if (ch == channel) {
            return 0;
        }
        if (ch != null) {
            try {
                ch.configureBlocking(true);
            } catch (IllegalBlockingModeException e) {
                throw new IllegalArgumentException("channel " + ch + " is registered with a selector", e);
            } catch (IOException e) {
                return -1;
            }
        }
        cancelLookup();
        replaceChannel(ch);
        return 0;
    }

    private void cancelLookup() {
        if (lookupRunning) {
            lookupRunning = false;
            dnsError = DnsResolver.EAI_CANCEL;
            core.unsuspend(BuffereventCore.READ, Suspend.LOOKUP);
            core.unsuspend(BuffereventCore.WRITE, Suspend.LOOKUP);
        }
    }

    // ---- connecting ----------------------------------------------------------------------------

    @Override
    public int connect(SocketAddress address) {
        SocketChannel ch = channel;
        if (state == CONNECTING) {
            return -1;
        }
        if (address == null) {
            if (ch == null || !ch.isConnectionPending()) {
                return -1;
            }
        } else if (ch != null && (ch.isConnected() || ch.isConnectionPending())) {
            return -1;
        }
        if (ch == null) {
            try {
                ch = address instanceof UnixDomainSocketAddress
                        ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
            } catch (IOException e) {
                core.setLastError(e);
                return -1;
            }
        }
        cancelLookup();
        replaceChannel(ch);
        state = CONNECTING;
        int gen = generation;
        SocketChannel target = ch;
        VIRTUAL.newThread(() -> runConnect(target, address, gen)).start();
        return 0;
    }

    /** Connector virtual thread: blocks in connect, then reports CONNECTED or ERROR. */
    private void runConnect(SocketChannel ch, SocketAddress address, int gen) {
        IOException failure = null;
        try {
            if (address == null) {
                ch.configureBlocking(true);
                ch.finishConnect();
            } else {
                ch.configureBlocking(true);
                ch.connect(address);
            }
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            // An unresolved or unsupported address, or a security manager's veto: reported as
            // ERROR like any failed connect, never left CONNECTING by a dead thread.
            failure = new IOException("cannot connect to " + address + ": " + e, e);
        }
        core.lock.lock();
        try {
            if (gen != generation || core.isFreed()) {
                return;
            }
            if (failure != null) {
                state = FAILED;
                core.setLastError(failure);
                core.counters.error(Direction.WRITE);
                core.post(false, false, BevEvent.ERROR);
                freeIfClosingAfterFlush();
                return;
            }
            state = CONNECTED;
            markOpened();
            // libevent 2.1 runs CONNECTED only: its write callback after a connect needs bytes
            // written ('res || !connected'), which the writer reports when it writes them.
            core.post(false, false, BevEvent.CONNECTED);
            if (core.active(BuffereventCore.READ)) {
                kickReader();
            }
            // closeAfterFlush() during the connect: the writer frees once the output is empty,
            // which it may be already.
            kickWriterIfWork();
        } finally {
            core.lock.unlock();
        }
    }

    /** After a failed connect, lookup or write: closeAfterFlush() can never flush, so it frees. Lock held. */
    void freeIfClosingAfterFlush() {
        if (core.closingAfterFlush()) {
            core.scheduler.defer(core::free);
        }
    }

    @Override
    public int connectHostname(DnsResolver resolver, StandardProtocolFamily family, String host, int port) {
        DnsResolver r = resolver != null ? resolver : SystemResolver.INSTANCE;
        int gen;
        core.lock.lock();
        try {
            dnsError = 0;
            if (!lookupRunning) {
                lookupRunning = true;
                core.suspend(BuffereventCore.READ, Suspend.LOOKUP);
                core.suspend(BuffereventCore.WRITE, Suspend.LOOKUP);
            }
            // Its own token, not a new generation: the channel's I/O threads (a bufferevent
            // that is already connected) and a connect under way are not the lookup's to stop.
            gen = ++lookups;
        } finally {
            core.lock.unlock();
        }
        VIRTUAL.newThread(() -> runLookup(r, family, host, port, gen)).start();
        return 0;
    }

    private static final java.util.regex.Pattern IPV4_LITERAL = java.util.regex.Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private static final java.util.regex.Pattern IPV6_LITERAL_CHARS = java.util.regex.Pattern.compile(
            "[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[0-9A-Za-z_.-]+)?");

    /**
     * An address literal of {@code family} (null: any) is used as is, never handed to the resolver,
     * as libevent's {@code evutil_getaddrinfo} parses numeric hosts before any lookup. Returns null
     * for a name, or for a literal of the other family (the resolver then decides).
     */
    static InetAddress numericHost(String host, StandardProtocolFamily family) {
        boolean v4 = IPV4_LITERAL.matcher(host).matches();
        // Only an IPv6 literal's characters reach getByName: a name with a ':' that does not start
        // with a hex digit (say "x:1") would go to the system resolver there, not to ours.
        if (!v4 && !IPV6_LITERAL_CHARS.matcher(host).matches()) {
            return null;
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(host); // a literal: parsed, no lookup
        } catch (UnknownHostException e) {
            return null;
        }
        if (family == StandardProtocolFamily.INET && !(a instanceof java.net.Inet4Address)
                || family == StandardProtocolFamily.INET6 && !(a instanceof java.net.Inet6Address)) {
            return null;
        }
        return a;
    }

    /** Lookup virtual thread: resolves, then connects to the first address (as libevent does). */
    private void runLookup(DnsResolver r, StandardProtocolFamily family, String host, int port, int gen) {
        List<InetAddress> found = null;
        Exception failure = null;
        try {
            InetAddress literal = numericHost(host, family);
            found = literal != null ? List.of(literal) : r.resolve(host, family);
            if (found == null || found.isEmpty()) {
                failure = new UnknownHostException(host + ": no address of family " + family);
            }
        } catch (Exception e) {
            failure = e;
        }
        core.lock.lock();
        try {
            if (gen != lookups || core.isFreed() || !lookupRunning) {
                return;
            }
            // Unsuspended while the lookup still counts as running: a closeAfterFlush() waiting
            // for this connect must not take the re-enabled output for one that can never be sent.
            core.unsuspend(BuffereventCore.READ, Suspend.LOOKUP);
            core.unsuspend(BuffereventCore.WRITE, Suspend.LOOKUP);
            lookupRunning = false;
            if (failure != null) {
                dnsError = failure instanceof UnknownHostException ? DnsResolver.EAI_NONAME : DnsResolver.EAI_FAIL;
                core.setLastError(failure);
                core.post(false, false, BevEvent.ERROR);
                freeIfClosingAfterFlush();
                return;
            }
            if (connect(new InetSocketAddress(found.get(0), port)) < 0) {
                core.setLastError(new IOException("cannot connect to " + found.get(0) + ":" + port
                        + ": the bufferevent already has a connected channel"));
                core.post(false, false, BevEvent.ERROR);
                freeIfClosingAfterFlush();
            }
        } finally {
            core.lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "socket " + Objects.toString(channel, "(no channel)");
    }
}
