package dev.loomevent.examples;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.DnsResolver;
import dev.loomevent.api.Evbuffer;
import dev.loomevent.api.EventBase;
import java.io.PrintStream;
import java.util.EnumSet;

/**
 * A trivial HTTP client: looks the host name up, sends one request, prints whatever comes back until
 * the server closes, and reports a name that does not resolve as a DNS error.
 * <p>Mirrors the seed chapter's "Trivial HTTP v0 client": a socket bufferevent with a read and an
 * event callback, both directions enabled, the request queued in the output with
 * {@link Evbuffer#addPrintf} <em>before</em> the connection exists, then
 * {@link Bufferevent#connectHostname} ({@code bufferevent_socket_connect_hostname}, with the default
 * resolver, which never blocks the callback thread). The event callback prints "Connect okay." on
 * {@link BevEvent#CONNECTED}; on an error it asks {@link Bufferevent#dnsError()}
 * ({@code bufferevent_socket_get_dns_error}), which is non-zero only when the name failed to resolve,
 * and prints "DNS error: ..." in {@code gai_strerror}'s words; on EOF or an error it prints "Closing"
 * and ends the loop.
 * <p>One change from the seed: the C example sends an HTTP/0.9 request line ({@code GET /path}) that
 * today's servers answer with 400, so this one sends the HTTP/1.0 form with a {@code Host} header.
 * Like 0.9, HTTP/1.0 without keep-alive ends the response by closing the connection, which is what
 * the client waits for. As the seed says: don't write an HTTP client this way; it shows bufferevents.
 * <p>Run: {@code ./loomevent example http-client host resource [port]}, e.g.
 * {@code ./loomevent example http-client localhost / 8000} against {@code jwebserver}.
 * <p>Callback thread only: the callbacks run on the base's callback thread; {@link #run} runs the loop
 * on the calling thread.
 */
public final class HttpClient {
    private HttpClient() {
    }

    /**
     * Fetches one page and prints it.
     *
     * @param args {@code host resource [port]} (port 80 by default)
     */
    public static void main(String[] args) {
        Examples.exitOnFailure(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        if (args.length < 2 || args.length > 3) {
            out.println("Trivial HTTP 0.x client");
            out.println("Syntax: http-client hostname resource [port]");
            out.println("Example: http-client localhost / 8000");
            return 2;
        }
        return fetch(null, args[0], Args.integer(args, 2, "port", 80, 1, 65535), args[1], out);
    }

    /**
     * Fetches {@code resource} from {@code host:port} and prints the response to {@code out}.
     *
     * @param resolver the resolver, null for {@link DnsResolver#system()} (libevent: the {@code evdns_base})
     * @return 0 when the server answered and closed, 1 on a DNS or connection error
     */
    static int fetch(DnsResolver resolver, String host, int port, String resource, PrintStream out) {
        EventBase base = EventBase.create();
        int[] exitCode = {0};
        Bufferevent bev = Bufferevent.socket(base, null, EnumSet.of(BevOption.CLOSE_ON_FREE));
        bev.setCallbacks(HttpClient::onRead, null, (b, events, arg) -> {
            if ((events & BevEvent.CONNECTED) != 0) {
                out.println("Connect okay.");
            } else if ((events & (BevEvent.ERROR | BevEvent.EOF)) != 0) {
                onRead(b, out); // bytes that came with the EOF
                if ((events & BevEvent.ERROR) != 0) {
                    exitCode[0] = 1;
                    int dnsError = b.dnsError();
                    if (dnsError != 0) {
                        out.println("DNS error: " + gaiStrerror(dnsError));
                    } else {
                        out.println("Error: " + ConnectAndReport.describe(b.lastError()));
                    }
                }
                out.println("Closing");
                b.free();
                base.loopExit(null);
            }
        }, out);
        bev.enable(EnumSet.allOf(Direction.class));
        bev.output().addPrintf("GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", resource, host);
        if (bev.connectHostname(resolver, null, host, port) < 0) {
            out.println("Could not start looking up " + host);
            bev.free();
            base.free();
            return 1;
        }
        base.dispatch();
        base.free();
        return exitCode[0];
    }

    /** Copies everything that has arrived to the output stream, 1 KiB at a time as the seed does. */
    private static void onRead(Bufferevent bev, Object arg) {
        PrintStream out = (PrintStream) arg;
        byte[] buf = new byte[1024];
        int n;
        while ((n = bev.input().remove(buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
        }
        out.flush();
    }

    /** libevent: {@code evutil_gai_strerror}, in glibc's words for the codes a lookup reports. */
    static String gaiStrerror(int error) {
        return switch (error) {
            case DnsResolver.EAI_NONAME -> "Name or service not known";
            case DnsResolver.EAI_FAIL -> "Non-recoverable failure in name resolution";
            case DnsResolver.EAI_CANCEL -> "Request canceled";
            default -> "resolver error " + error;
        };
    }
}
