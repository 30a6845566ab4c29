package dev.loomevent.examples;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.Evbuffer;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;

/**
 * A sink that reads whatever its peers send but hears about it only in batches of at least 128 bytes,
 * and lets no more than 64 KiB pile up unread.
 * <p>Mirrors the seed chapter's watermark example ({@code setup_bufferevent}, {@code read_callback},
 * {@code event_callback} and {@code struct info}): {@code setWatermark(READ, 128, 64 KiB)}
 * ({@code bufferevent_setwatermark}). The read low-watermark means the read callback runs only once
 * the input holds at least 128 bytes: smaller reads just accumulate. The read high-watermark makes the
 * reader stop reading while the input holds 64 KiB, leaving the rest in the kernel so TCP slows the
 * sender, and resume by itself once the callback drains the input. At EOF the event callback reports
 * what was drained and what was left below the low-watermark, never seen by the read callback.
 * The C example shows one half-set-up bufferevent; here every accepted connection is one.
 * <p>Run: {@code ./loomevent example watermarks [port]} (9996 by default), then e.g.
 * {@code head -c 100000 /dev/zero | nc -N 127.0.0.1 9996}.
 * <p>Callback thread only: every callback runs on the base's callback thread.
 */
public final class Watermarks implements AutoCloseable {
    /** The read low-watermark: the read callback waits for this many bytes. */
    static final int READ_LOW = 128;
    /** The read high-watermark: the reader stops while the input holds this many bytes. */
    static final int READ_HIGH = 64 * 1024;
    static final int DEFAULT_PORT = 9996;

    /** libevent's {@code struct info}: per-connection state given to the callbacks as their argument. */
    private static final class Info {
        final String name;
        long totalDrained; // callback thread only

        Info(String name) {
            this.name = name;
        }
    }

    private final EventBase base;
    private final PrintStream out;
    private final Listener listener;
    private int connections; // callback thread only

    Watermarks(EventBase base, SocketAddress address, PrintStream out) {
        this.base = base;
        this.out = out;
        this.listener = Listener.bind(base, this::onAccept, null,
                EnumSet.of(ListenerOption.REUSEABLE, ListenerOption.CLOSE_ON_FREE), -1, address);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    private void onAccept(Listener l, SocketChannel channel, SocketAddress peer, Object arg) {
        Bufferevent bev = Bufferevent.socket(base, channel, EnumSet.of(BevOption.CLOSE_ON_FREE));
        bev.setWatermark(Direction.READ, READ_LOW, READ_HIGH);
        bev.setCallbacks(this::onRead, null, this::onEvent, new Info("connection " + ++connections));
        bev.enable(Direction.READ);
    }

    private void onRead(Bufferevent bev, Object arg) {
        Info info = (Info) arg;
        Evbuffer input = bev.input();
        long len = input.length();
        // The reader keeps reading while this runs, so a call queued for bytes that the previous
        // call already drained can find fewer than the low-watermark here: wait for more, as libevent
        // (which reads only between callbacks) would not have called at all.
        if (len >= READ_LOW) {
            info.totalDrained += len;
            input.drain(len);
            out.printf("Drained %d bytes from %s%n", len, info.name);
        }
    }

    private void onEvent(Bufferevent bev, int events, Object arg) {
        Info info = (Info) arg;
        boolean finished = false;
        if ((events & BevEvent.EOF) != 0) {
            out.printf("Got a close from %s.  We drained %d bytes from it, and have %d left.%n",
                    info.name, info.totalDrained, bev.input().length());
            finished = true;
        }
        if ((events & BevEvent.ERROR) != 0) {
            out.printf("Got an error from %s: %s%n", info.name, ConnectAndReport.describe(bev.lastError()));
            finished = true;
        }
        if (finished) {
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
     * Serves until killed.
     *
     * @param args {@code [port]}
     */
    public static void main(String[] args) {
        Examples.exitOnFailure(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        EventBase base = EventBase.create();
        try (Watermarks server = new Watermarks(base, Args.loopback(Args.port(args, 0, "port", DEFAULT_PORT)), out)) {
            out.println("Listening on " + Args.hostPort(server.localAddress()));
            base.dispatch();
        } finally {
            base.free();
        }
        return 0;
    }
}
