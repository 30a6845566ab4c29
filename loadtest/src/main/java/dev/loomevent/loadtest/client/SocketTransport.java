package dev.loomevent.loadtest.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The plain client transport: one virtual thread per connection doing blocking reads on a
 * {@link SocketChannel}; sends are blocking writes on the caller's thread.
 * <p>Any thread.
 */
public final class SocketTransport implements ClientTransport {
    private final int readBufferSize;
    private final AtomicLong ids = new AtomicLong();
    private final Set<Conn> open = ConcurrentHashMap.newKeySet();

    /**
     * Creates the transport.
     *
     * @param readBufferSize the bytes one read may take; each connection holds one such buffer
     */
    public SocketTransport(int readBufferSize) {
        if (readBufferSize < 1) {
            throw new IllegalArgumentException("readBufferSize must be >= 1, was " + readBufferSize);
        }
        this.readBufferSize = readBufferSize;
    }

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public void connect(InetSocketAddress address, ConnectionHandler handler) {
        Conn c = new Conn(ids.incrementAndGet(), handler);
        Thread.ofVirtual().name("loadtest-conn-", c.id).start(() -> c.run(address));
    }

    @Override
    public void close() {
        for (Conn c : open) {
            c.close();
        }
    }

    private final class Conn implements ClientConnection {
        private final long id;
        private final ConnectionHandler handler;
        /** Serializes writers: a pacer thread and the reader thread may both send. */
        private final ReentrantLock writeLock = new ReentrantLock();
        /** Set by the connecting thread before onOpen; read by senders and closers. */
        private volatile SocketChannel channel;
        /** Whether close() was called: tells an expected close from a failure. */
        private volatile boolean closing;

        Conn(long id, ConnectionHandler handler) {
            this.id = id;
            this.handler = handler;
        }

        @Override
        public long id() {
            return id;
        }

        void run(InetSocketAddress address) {
            open.add(this);
            Throwable error = null;
            boolean byPeer = false;
            try {
                SocketChannel ch = SocketChannel.open();
                channel = ch;
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(address);
                handler.onOpen(this);
                ByteBuffer buf = ByteBuffer.allocate(readBufferSize);
                while (!closing) {
                    if (ch.read(buf) < 0) {
                        byPeer = true;
                        break;
                    }
                    buf.flip();
                    handler.onData(this, buf);
                    buf.clear();
                }
            } catch (IOException | UncheckedIOException e) {
                if (!closing) {
                    error = e;
                }
            } catch (RuntimeException e) {
                error = e;
            } finally {
                open.remove(this);
                closeChannel();
            }
            handler.onClosed(this, byPeer, error);
        }

        @Override
        public void send(byte[] data, int off, int len) {
            ByteBuffer bb = ByteBuffer.wrap(data, off, len);
            writeLock.lock();
            try {
                SocketChannel ch = channel;
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("connection " + id + ": send failed", e);
            } finally {
                writeLock.unlock();
            }
        }

        @Override
        public void close() {
            closing = true;
            closeChannel();
        }

        private void closeChannel() {
            SocketChannel ch = channel;
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing is best effort; the reader learns of it either way
                }
            }
        }
    }
}
