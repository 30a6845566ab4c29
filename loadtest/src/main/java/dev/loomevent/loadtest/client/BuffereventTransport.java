package dev.loomevent.loadtest.client;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.Evbuffer;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client transport built on loomevent itself ("we eat our own food"): one socket
 * {@link Bufferevent} per connection on one {@link EventBase}; the handler runs in the bufferevent's
 * callbacks, and sends are {@code bufferevent_write}s.
 * <p>Any thread; handler callbacks run on the base's callback thread.
 */
public final class BuffereventTransport implements ClientTransport {
    private final EventBase base;
    private final AtomicLong ids = new AtomicLong();
    private final Set<Conn> open = ConcurrentHashMap.newKeySet();
    /** Callback thread only: every read callback copies the input through it. */
    private final ByteBuffer scratch;

    /**
     * Creates the transport and starts its event base.
     *
     * @param readBufferSize the most bytes handed to the handler at once
     */
    public BuffereventTransport(int readBufferSize) {
        this.scratch = ByteBuffer.allocate(readBufferSize);
        this.base = EventBase.create(EventBaseConfig.DEFAULT.withName("loadtest-client"));
        base.start();
    }

    @Override
    public String name() {
        return "loomevent";
    }

    @Override
    public void connect(InetSocketAddress address, ConnectionHandler handler) {
        Conn c = new Conn(ids.incrementAndGet(), handler);
        SocketChannel ch;
        try {
            ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            base.execute(() -> handler.onClosed(c, false, e));
            return;
        }
        Bufferevent bev = Bufferevent.socket(base, ch, EnumSet.of(BevOption.CLOSE_ON_FREE));
        c.bev = bev;
        open.add(c);
        bev.setCallbacks(c::readable, null, c::event);
        if (bev.connect(address) != 0) {
            base.execute(() -> c.finish(false, new IOException("connect to " + address + " could not start")));
        }
    }

    @Override
    public void close() {
        for (Conn c : open) {
            c.close();
        }
        // the deferred queue runs in order: once this task ran, every close above has finished
        CountDownLatch done = new CountDownLatch(1);
        base.execute(done::countDown);
        try {
            done.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        base.free();
    }

    private final class Conn implements ClientConnection {
        private final long id;
        private final ConnectionHandler handler;
        /** Written before the bufferevent's callbacks are set; read on the callback thread and by senders. */
        volatile Bufferevent bev;
        // callback thread only
        private boolean finished;

        Conn(long id, ConnectionHandler handler) {
            this.id = id;
            this.handler = handler;
        }

        @Override
        public long id() {
            return id;
        }

        void readable(Bufferevent b, Object arg) {
            Evbuffer in = b.input();
            try {
                while (!finished && in.length() > 0) {
                    scratch.clear();
                    in.remove(scratch);
                    scratch.flip();
                    handler.onData(this, scratch);
                }
            } catch (RuntimeException e) {
                finish(false, e);
            }
        }

        void event(Bufferevent b, int events, Object arg) {
            if ((events & BevEvent.CONNECTED) != 0) {
                b.enable(Direction.READ);
                try {
                    handler.onOpen(this);
                } catch (RuntimeException e) {
                    finish(false, e);
                }
            } else if ((events & BevEvent.ERROR) != 0) {
                Throwable t = b.lastError();
                finish(false, t != null ? t : new IOException("connection " + id + " failed (events 0x"
                        + Integer.toHexString(events) + ")"));
            } else if ((events & BevEvent.EOF) != 0) {
                finish(true, null);
            }
        }

        @Override
        public void send(byte[] data, int off, int len) {
            bev.write(data, off, len);
        }

        @Override
        public void close() {
            base.execute(() -> finish(false, null));
        }

        /** Callback thread: frees the bufferevent and tells the handler, once. */
        void finish(boolean byPeer, Throwable error) {
            if (finished) {
                return;
            }
            finished = true;
            open.remove(this);
            Bufferevent b = bev;
            if (b != null) {
                b.free();
            }
            handler.onClosed(this, byPeer, error);
        }
    }
}
