package dev.loomevent.loadtest.target;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.EventBaseGroup;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;

/**
 * loomevent's echo server, written as a libevent user would: a listener hands each connection to a
 * socket bufferevent whose read callback moves the whole input to the output
 * ({@code evbuffer_add_buffer(output, input)}), and whose event callback frees it on error and closes it once flushed on EOF.
 * <p>Any thread; the callbacks run on the base's callback thread.
 */
public final class LoomeventEchoServer implements EchoServer {
    private final EventBase base;
    private final EventBaseGroup group;
    private final Listener listener;

    /**
     * Starts the server.
     *
     * @param address where to listen (port 0: any free port)
     * @param bases   event bases (1: one callback thread, as libevent's single loop)
     */
    public LoomeventEchoServer(InetSocketAddress address, int bases) {
        EventBaseConfig config = EventBaseConfig.DEFAULT.withName("echo");
        if (bases <= 1) {
            group = null;
            base = EventBase.create(config);
            base.start();
            listener = Listener.bind(base, this::accepted, null,
                    EnumSet.of(ListenerOption.CLOSE_ON_FREE, ListenerOption.REUSEABLE), 1024, address);
        } else {
            base = null;
            group = EventBaseGroup.create(bases, config);
            listener = Listener.bind(group, EventBaseGroup.Distribution.ROUND_ROBIN, this::accepted, null,
                    EnumSet.of(ListenerOption.CLOSE_ON_FREE, ListenerOption.REUSEABLE), 1024, address);
        }
    }

    private void accepted(Listener l, SocketChannel channel, java.net.SocketAddress peer, Object arg) {
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            // the connection is already gone; the bufferevent will report it
        }
        EventBase b = base != null ? base : EventBase.current();
        Bufferevent bev = Bufferevent.socket(b, channel, EnumSet.of(BevOption.CLOSE_ON_FREE));
        bev.setCallbacks((ev, a) -> ev.output().addBuffer(ev.input()), null, (ev, events, a) -> {
            if ((events & BevEvent.ERROR) != 0) {
                ev.free();
            } else if ((events & BevEvent.EOF) != 0) {
                ev.closeAfterFlush(); // echoes still queued go out first (a half-closing client)
            }
        });
        bev.enable(Direction.READ);
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.free();
        if (base != null) {
            base.free();
        } else {
            group.free();
        }
    }
}
