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
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;

/**
 * A server that sends every connection the Fibonacci numbers, one per line, producing them only as
 * fast as the peer takes them.
 * <p>Mirrors the seed chapter's {@code write_callback_fibonacci}: the write callback builds about
 * 1 KiB of numbers in a scratch {@link Evbuffer} with {@link Evbuffer#addPrintf}
 * ({@code evbuffer_add_printf}) and moves it into the output with {@link Bufferevent#writeBuffer}
 * ({@code bufferevent_write_buffer}). A write low-watermark of 512 bytes makes the callback run while
 * some output is still queued, so the output is topped up before it runs dry; a peer that reads
 * slowly simply gets its numbers later, and the server never holds more than about 1.5 KiB for it.
 * Unlike the C example's {@code unsigned long}, which overflows after the 93rd number, the numbers
 * are {@link BigInteger}s, written one per line, and the stream ends after {@code count} of them:
 * the watermark goes back to 0 so the last write callback runs once everything has left, and frees.
 * The sequence starts as the seed's does, from {@code last_fib = {0, 1}}: 1, 2, 3, 5, 8, ...
 * <p>Run: {@code ./loomevent example fibonacci [port] [count]} (9998 and 2000 by default), then
 * {@code nc 127.0.0.1 9998 | head}.
 * <p>Callback thread only: every callback runs on the base's callback thread.
 */
public final class FibonacciServer implements AutoCloseable {
    static final int DEFAULT_PORT = 9998;
    static final int DEFAULT_COUNT = 2000;
    /** How much one write callback adds, as in the seed. */
    static final int CHUNK = 1024;
    /** The write low-watermark: below this the output is topped up. */
    static final int REFILL_BELOW = 512;

    /** libevent's {@code struct count}: where one connection's sequence stands. */
    private static final class Count {
        BigInteger previous = BigInteger.ZERO;
        BigInteger last = BigInteger.ONE;
        int remaining;

        Count(int remaining) {
            this.remaining = remaining;
        }
    }

    private final EventBase base;
    private final int count;
    private final Listener listener;

    /**
     * Starts accepting on {@code address}.
     *
     * @param count how many numbers each connection gets
     */
    FibonacciServer(EventBase base, SocketAddress address, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        this.base = base;
        this.count = count;
        this.listener = Listener.bind(base, this::onAccept, null,
                EnumSet.of(ListenerOption.REUSEABLE, ListenerOption.CLOSE_ON_FREE), -1, address);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    private void onAccept(Listener l, SocketChannel channel, SocketAddress peer, Object arg) {
        Bufferevent bev = Bufferevent.socket(base, channel, EnumSet.of(BevOption.CLOSE_ON_FREE));
        Count c = new Count(count);
        bev.setWatermark(Direction.WRITE, REFILL_BELOW, 0);
        bev.setCallbacks(null, FibonacciServer::onWrite, FibonacciServer::onEvent, c);
        onWrite(bev, c); // the first batch; from now on the drained output asks for more
    }

    /** libevent's {@code write_callback_fibonacci}: add about 1 KiB of numbers, or finish. */
    private static void onWrite(Bufferevent bev, Object arg) {
        Count c = (Count) arg;
        if (c.remaining == 0) {
            if (bev.output().isEmpty()) {
                bev.free(); // everything has left
            } else {
                bev.setWatermark(Direction.WRITE, 0, 0); // call back once it has
            }
            return;
        }
        Evbuffer tmp = Evbuffer.create();
        while (tmp.length() < CHUNK && c.remaining > 0) {
            BigInteger next = c.previous.add(c.last);
            c.previous = c.last;
            c.last = next;
            c.remaining--;
            tmp.addPrintf("%d\n", next);
        }
        bev.writeBuffer(tmp);
        tmp.free();
    }

    private static void onEvent(Bufferevent bev, int events, Object arg) {
        if ((events & (BevEvent.EOF | BevEvent.ERROR)) != 0) {
            bev.free(); // the peer went away before the end
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
     * @param args {@code [port] [count]}
     */
    public static void main(String[] args) {
        Examples.exitOnFailure(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        int port = Args.port(args, 0, "port", DEFAULT_PORT);
        int count = Args.integer(args, 1, "count", DEFAULT_COUNT, 0, Integer.MAX_VALUE);
        EventBase base = EventBase.create();
        try (FibonacciServer server = new FibonacciServer(base, Args.loopback(port), count)) {
            out.println("Listening on " + Args.hostPort(server.localAddress()));
            base.dispatch();
        } finally {
            base.free();
        }
        return 0;
    }
}
