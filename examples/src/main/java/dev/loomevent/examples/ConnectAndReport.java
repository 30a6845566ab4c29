package dev.loomevent.examples;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.EventBase;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;

/**
 * Connects to an address and reports, from the event callback, whether the connection was made.
 * <p>Mirrors the seed chapter's {@code bufferevent_socket_connect} example ({@code main_loop} with its
 * {@code eventcb}): a socket bufferevent created without a channel ({@code fd -1}), only an event
 * callback, and {@link Bufferevent#connect}. Success arrives as {@link BevEvent#CONNECTED}; a failure
 * (say, nothing listens there) arrives as {@link BevEvent#ERROR} alone, with the cause in
 * {@link Bufferevent#lastError()} ({@code EVUTIL_SOCKET_ERROR()} in C) — {@code connect} itself
 * returned 0 because the attempt did start.
 * <p>Run: {@code ./loomevent example connect [ip] [port]} (127.0.0.1 8080 by default). Prints
 * {@code CONNECTED to ip:port} and exits 0, or {@code ERROR connecting to ip:port: cause} and exits 1.
 * <p>Callback thread only: the event callback runs on the base's callback thread; {@link #run} runs
 * the loop on the calling thread.
 */
public final class ConnectAndReport {
    private ConnectAndReport() {
    }

    /**
     * Connects once and reports.
     *
     * @param args {@code [ip] [port]}: a numeric address, as the C example fills a {@code sockaddr_in}
     */
    public static void main(String[] args) {
        Examples.exitOnFailure(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        InetSocketAddress target = new InetSocketAddress(numeric(Args.string(args, 0, "127.0.0.1")),
                Args.integer(args, 1, "port", 8080, 1, 65535));
        String name = Args.hostPort(target);
        EventBase base = EventBase.create();
        int[] exitCode = {1};
        Bufferevent bev = Bufferevent.socket(base, null, EnumSet.of(BevOption.CLOSE_ON_FREE));
        bev.setCallbacks(null, null, (b, events, arg) -> {
            if ((events & BevEvent.CONNECTED) != 0) {
                // A real client would start reading or writing here.
                out.println("CONNECTED to " + name);
                exitCode[0] = 0;
            } else if ((events & BevEvent.ERROR) != 0) {
                out.println("ERROR connecting to " + name + ": " + describe(b.lastError()));
            }
            b.free();
            base.loopExit(null);
        });
        if (bev.connect(target) < 0) {
            out.println("ERROR connecting to " + name + ": the attempt could not start");
            bev.free();
            base.free();
            return 1;
        }
        base.dispatch();
        base.free();
        return exitCode[0];
    }

    /** Parses a numeric IP address; never asks a resolver (a name is HttpClient's business). */
    private static InetAddress numeric(String ip) {
        if (!ip.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("ip must be a numeric IPv4 or IPv6 address, was '" + ip + "'");
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("ip must be a numeric IPv4 or IPv6 address, was '" + ip + "'", e);
        }
    }

    static String describe(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        return error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
    }
}
