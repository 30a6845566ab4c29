package dev.loomevent.examples;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.concurrent.locks.LockSupport;
import java.util.EnumSet;

/**
 * An echo server: one event base, a listener, and per connection a socket bufferevent whose read
 * callback moves the input to the output ({@code output.addBuffer(input)}), as libevent's echo
 * does. The server the benchmarks compare with libevent's ({@code compare.sh}).
 * <p>Usage: {@code EchoServer PORT}. Runs until killed. Main thread only; the callbacks run on the
 * base's callback thread.
 */
public final class EchoServer {
    private EchoServer() {
    }

    /**
     * Serves echo on {@code args[0]} (all interfaces) until the process is killed.
     *
     * @param args the port
     */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        EventBase base = EventBase.create(EventBaseConfig.DEFAULT.withName("echo"));
        Listener listener = Listener.bind(base, (l, ch, peer, arg) -> {
            try {
                // As libevent's echo: small messages go out at once.
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException ignored) {
                // A socket that refuses the option still echoes, only with Nagle's delays.
            }
            Bufferevent bev = Bufferevent.socket(base, ch, EnumSet.of(BevOption.CLOSE_ON_FREE));
            bev.setCallbacks((b, a) -> b.output().addBuffer(b.input()), null, (b, events, a) -> {
                if ((events & BevEvent.ERROR) != 0) {
                    b.free();
                } else if ((events & BevEvent.EOF) != 0) {
                    // The peer has sent all it will (it may only have half-closed): echoes still
                    // queued go out first. free() would drop them.
                    b.closeAfterFlush();
                }
            });
            bev.enable(Direction.READ);
        }, null, EnumSet.of(ListenerOption.CLOSE_ON_FREE, ListenerOption.REUSEABLE), 1024, new InetSocketAddress(port));
        System.out.println("echo listening on " + listener.localAddress());
        // The loop runs on the base's own (virtual) callback thread, the fastest hand-off from the
        // I/O virtual threads; main just waits.
        base.start();
        LockSupport.park();
    }
}
