package dev.loomevent.examples;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.EolStyle;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EvbufferLine;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Locale;

/**
 * A server that sends every line back upper-cased, and when the peer closes, sends back what is left
 * and closes after it.
 * <p>Mirrors the seed chapter's {@code read_callback_uppercase}: reading from the input and writing
 * the converted bytes back with {@link Bufferevent#write} ({@code bufferevent_write}). The seed
 * converts every 128-byte chunk as it comes; this one works a line at a time with
 * {@link dev.loomevent.api.Evbuffer#readln} ({@code evbuffer_readln}, {@code EVBUFFER_EOL_CRLF}), so a
 * line split across reads is converted whole, and it leaves an unfinished line in the input until its
 * end arrives — the read callback runs again when more bytes come. At EOF the remaining partial line is
 * converted and {@link Bufferevent#closeAfterFlush()} closes the connection once the output is sent.
 * As the seed warns about {@code toupper}, the case mapping is fixed ({@link Locale#ROOT}), not the
 * machine's locale.
 * <p>Run: {@code ./loomevent example uppercase [port]} (9997 by default), then
 * {@code printf 'hello\nworld\n' | nc -N 127.0.0.1 9997}.
 * <p>Callback thread only: every callback runs on the base's callback thread.
 */
public final class UppercaseServer implements AutoCloseable {
    static final int DEFAULT_PORT = 9997;
    /** A peer that sends this much without an end of line is cut off: a line server bounds its lines. */
    static final int MAX_LINE = 64 * 1024;

    private final EventBase base;
    private final Listener listener;

    UppercaseServer(EventBase base, SocketAddress address) {
        this.base = base;
        this.listener = Listener.bind(base, this::onAccept, null,
                EnumSet.of(ListenerOption.REUSEABLE, ListenerOption.CLOSE_ON_FREE), -1, address);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    private void onAccept(Listener l, SocketChannel channel, SocketAddress peer, Object arg) {
        Bufferevent bev = Bufferevent.socket(base, channel, EnumSet.of(BevOption.CLOSE_ON_FREE));
        bev.setCallbacks(UppercaseServer::onRead, null, UppercaseServer::onEvent);
        bev.enable(Direction.READ);
    }

    private static void onRead(Bufferevent bev, Object arg) {
        EvbufferLine line;
        while ((line = bev.input().readln(EolStyle.CRLF)) != null) {
            bev.write(upper(line.asString() + "\n"));
        }
        if (bev.input().length() > MAX_LINE) {
            bev.free();
        }
    }

    private static void onEvent(Bufferevent bev, int events, Object arg) {
        if ((events & BevEvent.EOF) != 0 && !bev.input().isEmpty()) {
            byte[] rest = new byte[(int) bev.input().length()];
            bev.input().remove(rest, 0, rest.length);
            bev.write(upper(new String(rest, StandardCharsets.UTF_8)));
        }
        if ((events & BevEvent.ERROR) != 0) {
            bev.free(); // nothing more can be sent
        } else {
            bev.closeAfterFlush();
        }
    }

    private static byte[] upper(String text) {
        return text.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
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
        try (UppercaseServer server = new UppercaseServer(base, Args.loopback(Args.port(args, 0, "port", DEFAULT_PORT)))) {
            out.println("Listening on " + Args.hostPort(server.localAddress()));
            base.dispatch();
        } finally {
            base.free();
        }
        return 0;
    }
}
