package dev.loomevent.examples;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.Event;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import dev.loomevent.api.Signal;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;

/**
 * A server that greets every connection with "Hello, World!" and closes it as soon as the greeting
 * has left; Ctrl-C ends it cleanly after a delay.
 * <p>Mirrors libevent's {@code sample/hello-world.c}, step by step as the seed walkthrough follows it:
 * {@link Listener#bind} ({@code evconnlistener_new_bind} with {@code LEV_OPT_REUSEABLE|LEV_OPT_CLOSE_ON_FREE});
 * for each accepted connection a socket bufferevent ({@code bufferevent_socket_new} with
 * {@code BEV_OPT_CLOSE_ON_FREE}) with only a write callback and an event callback, writing enabled and
 * reading disabled; the greeting added with {@link Bufferevent#write} ({@code bufferevent_write}); the
 * write callback, which runs once the output has drained, frees the bufferevent (and so closes the
 * connection); a SIGINT event ({@code evsignal_new}) whose callback ends the loop after a delay
 * ({@code event_base_loopexit}, two seconds in libevent); then the listener, the signal event and the
 * base are freed and "done" is printed.
 * <p>Run: {@code ./loomevent example hello-world [port] [exit-delay-ms]} (port 9995, delay 2000 ms by
 * default), then {@code nc 127.0.0.1 9995}. Unlike the C sample it listens on loopback only and prints
 * the address it listens on.
 * <p>Callback thread only: the accept, write, event and signal callbacks run on the base's callback
 * thread; {@link #main} runs the loop on the main thread.
 */
public final class HelloWorld implements AutoCloseable {
    /** The greeting every connection gets. */
    static final String MESSAGE = "Hello, World!\n";
    static final int DEFAULT_PORT = 9995;
    static final long DEFAULT_EXIT_DELAY_MS = 2000;

    private final EventBase base;
    private final PrintStream out;
    private final Listener listener;

    /**
     * Starts accepting on {@code address}; each connection is served on {@code base}.
     *
     * @param out where "flushed answer" and connection errors are printed
     */
    HelloWorld(EventBase base, SocketAddress address, PrintStream out) {
        this.base = base;
        this.out = out;
        this.listener = Listener.bind(base, this::onAccept, null,
                EnumSet.of(ListenerOption.REUSEABLE, ListenerOption.CLOSE_ON_FREE), -1, address);
    }

    /** Returns the address the server listens on (with the real port when bound to port 0). */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    private void onAccept(Listener l, SocketChannel channel, SocketAddress peer, Object arg) {
        Bufferevent bev = Bufferevent.socket(base, channel, EnumSet.of(BevOption.CLOSE_ON_FREE));
        bev.setCallbacks(null, this::onWrite, this::onEvent);
        bev.enable(Direction.WRITE);
        bev.disable(Direction.READ);
        bev.write(MESSAGE.getBytes(StandardCharsets.US_ASCII));
    }

    /** Runs when the output has drained to its low-watermark (0): the greeting has left, so close. */
    private void onWrite(Bufferevent bev, Object arg) {
        if (bev.output().isEmpty()) {
            out.println("flushed answer");
            bev.free();
        }
    }

    private void onEvent(Bufferevent bev, int events, Object arg) {
        if ((events & BevEvent.EOF) != 0) {
            out.println("Connection closed.");
        } else if ((events & BevEvent.ERROR) != 0) {
            out.println("Got an error on the connection: " + bev.lastError());
        }
        // No other event is enabled, so any event means the connection is over.
        bev.free();
    }

    /** Stops accepting and closes the server socket. libevent: {@code evconnlistener_free}. */
    @Override
    public void close() {
        listener.free();
    }

    /**
     * Serves until SIGINT, then exits after the delay.
     *
     * @param args {@code [port] [exit-delay-ms]}
     */
    public static void main(String[] args) {
        Examples.exitOnFailure(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        int port = Args.port(args, 0, "port", DEFAULT_PORT);
        Duration delay = Duration.ofMillis(Args.integer(args, 1, "exit-delay-ms", (int) DEFAULT_EXIT_DELAY_MS, 0, 3_600_000));
        EventBase base = EventBase.create();
        HelloWorld server = new HelloWorld(base, Args.loopback(port), out);
        Event sigint = base.newSignal(Signal.INT, (event, what, arg) -> {
            out.println("Caught an interrupt signal; exiting cleanly in " + delay.toMillis() + " ms.");
            base.loopExit(delay);
        }, null);
        sigint.add(null);
        out.println("Listening on " + Args.hostPort(server.localAddress()));

        base.dispatch();

        server.close();
        sigint.free();
        base.free();
        out.println("done");
        return 0;
    }
}
