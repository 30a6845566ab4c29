package dev.loomevent.examples;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.Evbuffer;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy: every accepted connection is bridged to a new connection to the target, bytes flow
 * both ways, and a fast sender cannot make the proxy buffer more than a bounded amount for a slow
 * receiver.
 * <p>Mirrors libevent's {@code sample/le-proxy.c} (its plain-TCP mode) and the seed chapter's
 * {@code read_callback_proxy}. Each side's read callback moves its whole input into the other side's
 * output with {@link Bufferevent#readBuffer} ({@code bufferevent_read_buffer}), relinking segments
 * rather than copying. Backpressure: when the other side's output reaches {@code maxOutput}, this
 * side stops reading ({@code disable(READ)}) and the other side gets a write callback and a write
 * low-watermark of {@code maxOutput / 2}; that callback, run once the slow receiver has taken half,
 * turns reading back on. Unread bytes stay in the kernel, so TCP slows the sender down. Each side also
 * has a read high-watermark, so its input never holds more than {@code readHigh}: together no buffer
 * of the proxy ever holds more than {@code maxOutput + 2 * readHigh} bytes (see {@link #peakBuffered()}).
 * On EOF or an error from one side, what it had sent is handed to the other side, which is closed
 * once its output has drained (the flushing close: a write callback with low-watermark 0 frees it).
 * <p>Run: {@code ./loomevent example proxy listen-port target-host target-port}, e.g.
 * {@code ./loomevent example proxy 8080 127.0.0.1 8000}, then {@code curl http://127.0.0.1:8080/}.
 * <p>Callback thread only: every callback runs on the base's callback thread;
 * {@link #peakBuffered()} and {@link #throttles()} may be read from any thread.
 */
public final class Proxy implements AutoCloseable {
    /** le-proxy's {@code MAX_OUTPUT}: the output level at which the other side stops reading. */
    static final long DEFAULT_MAX_OUTPUT = 512 * 1024;
    /** The read high-watermark of each side. */
    static final long DEFAULT_READ_HIGH = 64 * 1024;

    private final EventBase base;
    private final SocketAddress target;
    private final long maxOutput;
    private final long readHigh;
    private final PrintStream out;
    private final Runnable onThrottle;
    private final Listener listener;
    // Written by evbuffer callbacks on I/O threads, read by anyone: atomic.
    private final AtomicLong peakBuffered = new AtomicLong();
    private final AtomicLong throttles = new AtomicLong();

    /**
     * Starts accepting on {@code address}; each connection is bridged to {@code target}.
     *
     * @param maxOutput the output level that stops the other side reading (le-proxy: 512 KiB)
     * @param readHigh  each side's read high-watermark
     * @param onThrottle told (on the callback thread) each time a side stops reading; null: nobody
     */
    Proxy(EventBase base, SocketAddress address, SocketAddress target, long maxOutput, long readHigh, PrintStream out,
          Runnable onThrottle) {
        if (maxOutput < 2) {
            throw new IllegalArgumentException("maxOutput must be >= 2, was " + maxOutput);
        }
        if (readHigh < 1) {
            throw new IllegalArgumentException("readHigh must be >= 1, was " + readHigh);
        }
        this.base = base;
        this.target = target;
        this.maxOutput = maxOutput;
        this.readHigh = readHigh;
        this.out = out;
        this.onThrottle = onThrottle;
        this.listener = Listener.bind(base, this::onAccept, null,
                EnumSet.of(ListenerOption.REUSEABLE, ListenerOption.CLOSE_ON_FREE), -1, address);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Returns the most bytes any one buffer of the proxy has held. Any thread. */
    long peakBuffered() {
        return peakBuffered.get();
    }

    /** Returns how many times a side stopped reading because the other side's output was full. Any thread. */
    long throttles() {
        return throttles.get();
    }

    private void onAccept(Listener l, SocketChannel channel, SocketAddress peer, Object arg) {
        Bufferevent client = Bufferevent.socket(base, channel, EnumSet.of(BevOption.CLOSE_ON_FREE));
        Bufferevent server = Bufferevent.socket(base, null, EnumSet.of(BevOption.CLOSE_ON_FREE));
        bridge(client, server);
        bridge(server, client);
        // Bytes the client sends before the connect completes wait in the server side's output.
        if (server.connect(target) < 0) {
            out.println("could not start connecting to " + target);
            client.free();
            server.free();
            return;
        }
        client.enable(EnumSet.allOf(Direction.class));
        server.enable(EnumSet.allOf(Direction.class));
    }

    private void bridge(Bufferevent bev, Bufferevent other) {
        bev.setWatermark(Direction.READ, 0, readHigh);
        bev.setCallbacks(this::onRead, null, this::onEvent, other);
        watchPeak(bev.input());
        watchPeak(bev.output());
    }

    private void watchPeak(Evbuffer buffer) {
        buffer.addCallback((b, info) ->
                peakBuffered.accumulateAndGet(info.origSize() + info.nAdded() - info.nDeleted(), Math::max));
    }

    /** libevent's {@code readcb}: move everything read to the other side, unless its output is full. */
    private void onRead(Bufferevent bev, Object arg) {
        Bufferevent other = (Bufferevent) arg;
        if (other.output().length() >= maxOutput) {
            throttle(bev, other);
            return; // the input stays below readHigh; it moves when the other side has drained
        }
        bev.readBuffer(other.output());
        if (other.output().length() >= maxOutput) {
            throttle(bev, other);
        }
    }

    private void throttle(Bufferevent bev, Bufferevent other) {
        if (!bev.enabled().contains(Direction.READ)) {
            return;
        }
        throttles.incrementAndGet();
        bev.disable(Direction.READ);
        other.setWatermark(Direction.WRITE, maxOutput / 2, maxOutput);
        other.setCallbacks(this::onRead, this::onDrained, this::onEvent, bev);
        if (onThrottle != null) {
            onThrottle.run();
        }
        // The other side's writer runs on its own thread and may already have sent half before its
        // write callback existed (a drain with no callback set is not remembered): look now as well.
        if (other.output().length() <= maxOutput / 2) {
            onDrained(other, bev);
        }
    }

    /** le-proxy's {@code drained_writecb}: {@code other} has sent half its output, so {@code bev} may read again. */
    private void onDrained(Bufferevent other, Object arg) {
        Bufferevent bev = (Bufferevent) arg;
        other.setCallbacks(this::onRead, null, this::onEvent, bev);
        other.setWatermark(Direction.WRITE, 0, 0);
        bev.enable(Direction.READ);
        if (!bev.input().isEmpty()) {
            onRead(bev, other); // read callbacks fire on new bytes only; move what waited
        }
    }

    private void onEvent(Bufferevent bev, int events, Object arg) {
        Bufferevent other = (Bufferevent) arg;
        if ((events & BevEvent.CONNECTED) != 0) {
            return;
        }
        if ((events & (BevEvent.EOF | BevEvent.ERROR)) == 0) {
            return;
        }
        if ((events & BevEvent.ERROR) != 0) {
            out.println("proxy: " + BevEvent.toString(events) + ": " + ConnectAndReport.describe(bev.lastError()));
        }
        bev.readBuffer(other.output()); // the last bytes this side sent still go through
        closeWhenFlushed(other);
        if ((events & BevEvent.ERROR) != 0) {
            bev.free();
        } else {
            closeWhenFlushed(bev);
        }
    }

    /** le-proxy's {@code close_on_finished_writecb}: free {@code bev} once its output is empty. */
    private static void closeWhenFlushed(Bufferevent bev) {
        bev.disable(Direction.READ);
        bev.setWatermark(Direction.WRITE, 0, 0);
        bev.setCallbacks(null, (b, arg) -> {
            if (b.output().isEmpty()) {
                b.free();
            }
        }, (b, events, arg) -> b.free());
        // Set the callback first, then look: the writer may have emptied the output already.
        if (bev.output().isEmpty()) {
            bev.free();
        }
    }

    /**
     * Stops accepting and closes the server socket; connections already accepted go on.
     * libevent: {@code evconnlistener_free}. Any thread.
     */
    @Override
    public void close() {
        listener.free();
    }

    /**
     * Proxies until killed.
     *
     * @param args {@code listen-port target-host target-port}
     */
    public static void main(String[] args) {
        Examples.exitOnFailure(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        if (args.length != 3) {
            out.println("Syntax: proxy listen-port target-host target-port");
            out.println("Example: proxy 8080 127.0.0.1 8000");
            return 2;
        }
        int port = Args.port(args, 0, "listen-port", 0);
        InetSocketAddress target;
        try {
            target = new InetSocketAddress(InetAddress.getByName(args[1]), Args.integer(args, 2, "target-port", 0, 1, 65535));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("target-host does not resolve: '" + args[1] + "'", e);
        }
        EventBase base = EventBase.create();
        try (Proxy proxy = new Proxy(base, Args.loopback(port), target, DEFAULT_MAX_OUTPUT, DEFAULT_READ_HIGH, out, null)) {
            out.println("Proxying " + Args.hostPort(proxy.localAddress()) + " to " + Args.hostPort(target));
            base.dispatch();
        } finally {
            base.free();
        }
        return 0;
    }
}
