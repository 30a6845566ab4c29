package dev.loomevent.runtime.internal.listener;

import dev.loomevent.api.AcceptCallback;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseGroup;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerErrorCallback;
import dev.loomevent.api.ListenerOption;
import dev.loomevent.api.stats.CallbackKind;
import dev.loomevent.api.stats.ListenerStats;
import dev.loomevent.runtime.internal.base.Activation;
import dev.loomevent.runtime.internal.base.CallbackScheduler;
import dev.loomevent.runtime.internal.stats.Registry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection listener: libevent's {@code evconnlistener} ({@code listener.c}).
 * <p>Any thread; state changes guarded by {@link #lock}, read by the acceptor through volatile
 * fields. The acceptor is one virtual thread that accepts in a loop, waiting for connections with a
 * {@link Selector} so that {@link #disable()} and {@link #free()} can wake it without closing
 * the server socket (interrupting a thread blocked in {@code accept} would close it). Each accepted
 * channel is handed to the callback on the callback thread of the listener's base, or of the base a
 * group picks. Connections accepted while the listener is disabled wait, like the backlog, until it
 * is enabled again.
 * <p>Accept errors (too many open files, ...) go to the error callback on the listener base's
 * callback thread; the acceptor then waits a little (1 ms, doubling up to 100 ms) before it tries
 * again, so a listener out of descriptors neither spins nor gives up, and serves again as soon as
 * descriptors are free.
 */
public final class ListenerImpl implements Listener {
    private static final System.Logger LOG = System.getLogger(ListenerImpl.class.getName());
    private static final long MIN_BACKOFF = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_BACKOFF = TimeUnit.MILLISECONDS.toNanos(100);

    private final EventBase base;
    private final CallbackScheduler scheduler;
    private final EventBaseGroup group;
    private final EventBaseGroup.Distribution distribution;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final SocketAddress local;
    private final boolean closeOnFree;
    private final ListenerStatsImpl stats;
    private final Thread acceptor;
    /** Connections accepted while disabled, delivered on {@link #enable()}. */
    private final Queue<Object[]> held = new ConcurrentLinkedQueue<>();
    /** Guards enable/disable/setCallback/free transitions. */
    private final ReentrantLock lock = new ReentrantLock();
    // volatile: the acceptor and the callback thread read them without the lock.
    private volatile AcceptCallback callback;
    private volatile Object arg;
    private volatile ListenerErrorCallback errorCallback;
    private volatile boolean enabled;
    /**
     * The acceptor accepts: libevent's {@code ops->enable} happened. As there, enabling without a
     * callback only records the wish (enabled, not armed), while an armed listener whose callback
     * is then set to null stays armed and closes each connection it accepts.
     */
    private volatile boolean armed;
    private volatile boolean freed;

    private ListenerImpl(EventBase base, EventBaseGroup group, EventBaseGroup.Distribution distribution,
                         ServerSocketChannel server, AcceptCallback callback, Object arg, Set<ListenerOption> options) throws IOException {
        this.base = base;
        this.scheduler = CallbackScheduler.of(base);
        this.group = group;
        this.distribution = distribution;
        this.server = server;
        this.closeOnFree = options.contains(ListenerOption.CLOSE_ON_FREE);
        this.callback = callback;
        this.arg = arg;
        this.enabled = !options.contains(ListenerOption.DISABLED);
        this.armed = enabled && callback != null;
        server.configureBlocking(false);
        this.selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        this.local = server.getLocalAddress();
        this.stats = new ListenerStatsImpl(String.valueOf(local));
        this.acceptor = Thread.ofVirtual().name("loomevent-accept-" + local).unstarted(this::acceptLoop);
    }

    /** Backs {@code Listener.bind}: exactly one of {@code base} and {@code group} is non-null. */
    public static Listener bind(EventBase base, EventBaseGroup group, EventBaseGroup.Distribution distribution,
                                AcceptCallback callback, Object arg, Set<ListenerOption> options, int backlog,
                                SocketAddress address) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(address, "address");
        if (backlog == 0) {
            throw new IllegalArgumentException("backlog must not be 0, was 0");
        }
        EventBase home = home(base, group, distribution);
        ServerSocketChannel ch = null;
        try {
            ch = ServerSocketChannel.open();
            if (options.contains(ListenerOption.REUSEABLE)) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            if (options.contains(ListenerOption.REUSEABLE_PORT)
                    && ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.bind(address, backlog < 0 ? 128 : backlog);
            return start(new ListenerImpl(home, group, distribution, ch, callback, arg, options));
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    /** Backs {@code Listener.wrap}: the channel must be bound (a bound Java server socket listens). */
    public static Listener wrap(EventBase base, ServerSocketChannel channel, AcceptCallback callback, Object arg,
                                Set<ListenerOption> options, int backlog) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(options, "options");
        try {
            if (channel.getLocalAddress() == null) {
                throw new IllegalArgumentException("channel " + channel + " is not bound");
            }
            return start(new ListenerImpl(base, null, null, channel, callback, arg, options));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EventBase home(EventBase base, EventBaseGroup group, EventBaseGroup.Distribution distribution) {
        if ((base == null) == (group == null)) {
            throw new IllegalArgumentException("exactly one of base and group must be given, were " + base + " and " + group);
        }
        if (group != null) {
            Objects.requireNonNull(distribution, "distribution");
            return group.bases().get(0);
        }
        return base;
    }

    private static ListenerImpl start(ListenerImpl l) {
        Registry.INSTANCE.addListener(l.stats);
        l.scheduler.own(l);
        l.acceptor.start();
        return l;
    }

    // ---- the acceptor --------------------------------------------------------------------------

    private void acceptLoop() {
        long backoff = MIN_BACKOFF;
        try {
            while (!freed) {
                if (!armed) {
                    LockSupport.park(this);
                    continue;
                }
                SocketChannel ch;
                try {
                    ch = server.accept();
                    if (ch == null) {
                        selector.select();
                        selector.selectedKeys().clear();
                        continue;
                    }
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    // Waiting fails like accepting (e.g. out of descriptors): either is reported
                    // and retried, or the listener would stop for good.
                    if (freed) {
                        return;
                    }
                    stats.recordAcceptError();
                    reportError(e);
                    LockSupport.parkNanos(this, backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF);
                    continue;
                }
                backoff = MIN_BACKOFF;
                if (callback == null) {
                    // libevent's listener_read_cb: an armed listener without a callback closes what it accepts.
                    closeQuietly(ch);
                    continue;
                }
                handOff(ch);
            }
        } catch (ClosedSelectorException e) {
            if (!freed) {
                stats.recordAcceptError();
                reportError(new IOException(e));
            }
        }
    }

    private void handOff(SocketChannel ch) {
        SocketAddress peer;
        try {
            peer = ch.getRemoteAddress();
        } catch (IOException e) {
            closeQuietly(ch);
            return;
        }
        stats.recordAccepted();
        AcceptedChannels.put(ch, stats);
        EventBase target = group != null ? group.next(distribution) : base;
        hand(ch, peer, target);
    }

    /** Queues the accept callback on {@code target}'s callback thread, counted there as ACCEPT. */
    private void hand(SocketChannel ch, SocketAddress peer, EventBase target) {
        CallbackScheduler on = CallbackScheduler.of(target);
        on.activate(new Activation(target.priorities() / 2, CallbackKind.ACCEPT) {
            @Override
            protected void fire() {
                deliver(ch, peer, target);
            }

            @Override
            protected void discarded() {
                // The base was freed before the callback could run: nobody else will close it.
                closeAccepted(ch);
            }
        });
    }

    /** Callback thread of the chosen base. */
    private void deliver(SocketChannel ch, SocketAddress peer, EventBase on) {
        AcceptCallback cb;
        // Under the lock, as enable() and free() set their flags: a connection put aside here is
        // then always seen by the enable() or free() that drains 'held' next.
        lock.lock();
        try {
            cb = callback;
            if (freed || cb == null) {
                closeAccepted(ch);
                return;
            }
            if (!enabled) {
                held.add(new Object[] {ch, peer, on});
                return;
            }
        } finally {
            lock.unlock();
        }
        try {
            cb.onAccept(this, ch, peer, arg);
        } catch (Throwable t) {
            CallbackScheduler.of(on).reportCallbackException(t);
        }
    }

    private void reportError(IOException e) {
        scheduler.defer(() -> {
            ListenerErrorCallback cb = errorCallback;
            if (freed) {
                return;
            }
            if (cb == null) {
                LOG.log(System.Logger.Level.WARNING, "accept on " + local + " failed", e);
                return;
            }
            try {
                cb.onError(this, e, arg);
            } catch (Throwable t) {
                scheduler.reportCallbackException(t);
            }
        });
    }

    // ---- Listener ------------------------------------------------------------------------------

    @Override
    public void enable() {
        lock.lock();
        try {
            checkLive();
            enabled = true;
            if (callback != null) {
                armed = true;
            }
        } finally {
            lock.unlock();
        }
        Object[] h;
        while ((h = held.poll()) != null) {
            hand((SocketChannel) h[0], (SocketAddress) h[1], (EventBase) h[2]);
        }
        LockSupport.unpark(acceptor);
    }

    @Override
    public void disable() {
        lock.lock();
        try {
            checkLive();
            enabled = false;
            armed = false;
        } finally {
            lock.unlock();
        }
        selector.wakeup();
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setCallback(AcceptCallback callback, Object arg) {
        lock.lock();
        try {
            checkLive();
            // libevent's evconnlistener_set_cb: only a listener enabled without a callback arms
            // here; clearing the callback of an armed one leaves it accepting (and closing).
            boolean arm = enabled && this.callback == null && callback != null;
            this.arg = arg;
            this.callback = callback;
            if (arm) {
                armed = true;
            }
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(acceptor);
    }

    @Override
    public void setErrorCallback(ListenerErrorCallback callback) {
        errorCallback = callback;
    }

    @Override
    public ServerSocketChannel channel() {
        return server;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public EventBase base() {
        return base;
    }

    @Override
    public ListenerStats stats() {
        return stats;
    }

    @Override
    public void free() {
        lock.lock();
        try {
            if (freed) {
                return;
            }
            freed = true;
            callback = null;
        } finally {
            lock.unlock();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // A selector that fails to close has nothing left to release.
        }
        LockSupport.unpark(acceptor);
        if (closeOnFree) {
            closeQuietly(server);
        }
        Object[] h;
        while ((h = held.poll()) != null) {
            closeAccepted((SocketChannel) h[0]);
        }
        AcceptedChannels.forget(stats);
        Registry.INSTANCE.removeListener(stats);
        scheduler.disown(this);
    }

    private void checkLive() {
        if (freed) {
            throw new IllegalStateException("listener was freed");
        }
    }

    /** Closes an accepted channel no callback will get, and stops tracking it. */
    private static void closeAccepted(SocketChannel ch) {
        AcceptedChannels.claim(ch);
        closeQuietly(ch);
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // Nothing useful to do: the descriptor is released either way.
            }
        }
    }

    @Override
    public String toString() {
        return "Listener[" + local + (freed ? ", freed" : enabled ? "" : ", disabled") + "]";
    }
}
