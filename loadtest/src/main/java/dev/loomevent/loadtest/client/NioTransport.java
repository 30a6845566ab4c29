package dev.loomevent.loadtest.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cheapest client transport: every connection is a non-blocking {@link SocketChannel} on one
 * {@link Selector} served by one platform thread, as wrk and tcpkali do. A message costs one
 * {@code write} and one {@code read} system call and no thread hand-off, so a client on one CPU
 * can drive a server on another harder than a thread-per-connection client can.
 * <p>Any thread. Handler callbacks run on the selector thread; {@link ClientConnection#send} may
 * be called from any thread (a pacer): it writes at once when nothing is queued, and queues the
 * rest for the selector thread when the kernel's buffer is full.
 */
public final class NioTransport implements ClientTransport {
    private final Selector selector;
    private final Thread loop;
    private final ByteBuffer readBuffer;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Selector thread only. */
    private final Set<Conn> open = new HashSet<>();
    /** Written by close(), read by the selector thread at each round. */
    private volatile boolean closing;

    /**
     * Creates the transport and starts its selector thread.
     *
     * @param readBufferSize the most bytes one read delivers to a handler
     * @throws UncheckedIOException if no selector can be opened
     */
    public NioTransport(int readBufferSize) {
        if (readBufferSize < 1) {
            throw new IllegalArgumentException("readBufferSize must be >= 1, was " + readBufferSize);
        }
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        readBuffer = ByteBuffer.allocateDirect(readBufferSize);
        loop = Thread.ofPlatform().name("loadtest-nio-client").daemon().start(this::run);
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public void connect(InetSocketAddress address, ConnectionHandler handler) {
        Conn c = new Conn(ids.incrementAndGet(), handler);
        submit(() -> c.start(address));
    }

    @Override
    public void close() {
        submit(() -> new ArrayList<>(open).forEach(c -> c.finish(false, null)));
        closing = true;
        selector.wakeup();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    private void run() {
        try {
            while (true) {
                for (Runnable t; (t = tasks.poll()) != null; ) {
                    t.run();
                }
                if (closing && tasks.isEmpty()) {
                    break;
                }
                selector.select();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    ((Conn) key.attachment()).ready(key);
                }
            }
        } catch (IOException e) {
            new ArrayList<>(open).forEach(c -> c.finish(false, e));
        } finally {
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    private final class Conn implements ClientConnection {
        private final long id;
        private final ConnectionHandler handler;
        /** Guards {@code pending} and writes to the channel, which the selector thread and a pacer share. */
        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
        /** Set on the selector thread before the handler sees the connection. */
        private volatile SocketChannel channel;
        private volatile SelectionKey key;
        /** Selector thread only. */
        private boolean finished;

        Conn(long id, ConnectionHandler handler) {
            this.id = id;
            this.handler = handler;
        }

        @Override
        public long id() {
            return id;
        }

        /** Selector thread. */
        void start(InetSocketAddress address) {
            if (closing) {
                finish(false, null);
                return;
            }
            try {
                SocketChannel ch = SocketChannel.open();
                channel = ch;
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                open.add(this);
                if (ch.connect(address)) {
                    key = ch.register(selector, SelectionKey.OP_READ, this);
                    opened();
                } else {
                    key = ch.register(selector, SelectionKey.OP_CONNECT, this);
                }
            } catch (IOException | RuntimeException e) {
                finish(false, e);
            }
        }

        /** Selector thread. */
        void ready(SelectionKey k) {
            try {
                if (k.isConnectable()) {
                    channel.finishConnect();
                    k.interestOps(SelectionKey.OP_READ);
                    opened();
                    return;
                }
                if (k.isWritable()) {
                    flush();
                }
                if (k.isReadable()) {
                    read();
                }
            } catch (CancelledKeyException e) {
                finish(false, null);
            } catch (IOException | RuntimeException e) {
                finish(false, e);
            }
        }

        private void opened() {
            handler.onOpen(this);
        }

        private void read() throws IOException {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                finish(true, null);
            } else if (n > 0) {
                readBuffer.flip();
                handler.onData(this, readBuffer);
            }
        }

        @Override
        public void send(byte[] data, int off, int len) {
            ByteBuffer src = ByteBuffer.wrap(data, off, len);
            lock.lock();
            try {
                if (pending.isEmpty()) {
                    channel.write(src);
                }
                if (src.hasRemaining()) {
                    ByteBuffer copy = ByteBuffer.allocate(src.remaining());
                    copy.put(src).flip();
                    pending.add(copy);
                    SelectionKey k = key;
                    k.interestOps(k.interestOps() | SelectionKey.OP_WRITE);
                    if (!loop.equals(Thread.currentThread())) {
                        selector.wakeup();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("connection " + id + ": send failed", e);
            } catch (CancelledKeyException e) {
                throw new UncheckedIOException("connection " + id + ": closed", new IOException(e));
            } finally {
                lock.unlock();
            }
        }

        /** Selector thread: writes what is queued; stops asking for OP_WRITE once it all went. */
        private void flush() throws IOException {
            lock.lock();
            try {
                while (!pending.isEmpty()) {
                    ByteBuffer b = pending.peek();
                    channel.write(b);
                    if (b.hasRemaining()) {
                        return;
                    }
                    pending.poll();
                }
                key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            if (Thread.currentThread() == loop) {
                finish(false, null);
            } else {
                submit(() -> finish(false, null));
            }
        }

        /** Selector thread: closes the channel and tells the handler, once. */
        void finish(boolean byPeer, Throwable error) {
            if (finished) {
                return;
            }
            finished = true;
            open.remove(this);
            SelectionKey k = key;
            if (k != null) {
                k.cancel();
            }
            SocketChannel ch = channel;
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing is best effort
                }
            }
            handler.onClosed(this, byPeer, error);
        }
    }
}
