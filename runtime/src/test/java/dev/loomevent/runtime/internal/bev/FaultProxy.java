package dev.loomevent.runtime.internal.bev;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Test fixture: a loopback TCP proxy that injects faults. It listens on 127.0.0.1 (ephemeral port),
 * connects every accepted client to {@code target}, and forwards both directions with one platform
 * thread per direction doing blocking I/O. Per direction it can
 * <ul>
 *   <li>re-chunk: forward in chunks of random size 1..N (fixed seed) with TCP_NODELAY;</li>
 *   <li>pause: stop reading from the source side until {@link #resume} (a read already blocked when
 *       {@link #pause} is called still forwards what it gets);</li>
 *   <li>reset: after exactly K bytes forwarded, close both sockets of the connection with SO_LINGER 0
 *       (Linux discards bytes still unsent in the proxy's send queue, e.g. autocorked small chunks,
 *       so the destination receives a prefix of the K bytes, then the reset);</li>
 *   <li>half-close: after exactly K bytes forwarded, {@code shutdownOutput} toward the destination and
 *       stop reading from the source.</li>
 * </ul>
 * An EOF from a source is forwarded as a half-close; an I/O error aborts the connection (both sockets
 * closed with SO_LINGER 0). Faults are configured per proxy and counted per connection.
 * {@link #close()} closes every socket, ends every thread (bounded joins) and fails if one survives.
 */
final class FaultProxy implements AutoCloseable {
    enum Dir {
        /** Bytes from the client, read from the accepted socket, written to the target. */
        TO_SERVER,
        /** Bytes from the target, written to the accepted client. */
        TO_CLIENT
    }

    /** Receive buffer of the proxy's sockets: small, so that a paused proxy holds little in the kernel. */
    static final int RCVBUF = 64 * 1024;

    private final SocketAddress target;
    private final ServerSocket server;
    private final long seed;
    private final int[] chunkMax = {0, 0};
    private final long[] resetAfter = {-1, -1};
    private final long[] halfCloseAfter = {-1, -1};
    private final boolean[] paused = {false, false};
    private final AtomicLong[] forwarded = {new AtomicLong(), new AtomicLong()};
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger faultsDone = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    FaultProxy(SocketAddress target, long seed) throws IOException {
        this.target = target;
        this.seed = seed;
        server = new ServerSocket();
        server.setReceiveBufferSize(RCVBUF);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = start("fault-proxy-accept", this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    /** Forwards {@code d} in chunks of 1..{@code max} bytes (0: as read). Set before connecting. */
    FaultProxy chunk(Dir d, int max) {
        chunkMax[d.ordinal()] = max;
        return this;
    }

    /** Resets the connection after exactly {@code k} bytes were forwarded in {@code d}. */
    FaultProxy resetAfter(Dir d, long k) {
        resetAfter[d.ordinal()] = k;
        return this;
    }

    /** Shuts down output toward {@code d}'s destination after exactly {@code k} bytes. */
    FaultProxy halfCloseAfter(Dir d, long k) {
        halfCloseAfter[d.ordinal()] = k;
        return this;
    }

    /** Stops reading from {@code d}'s source. */
    FaultProxy pause(Dir d) {
        lock.lock();
        try {
            paused[d.ordinal()] = true;
        } finally {
            lock.unlock();
        }
        return this;
    }

    void resume(Dir d) {
        lock.lock();
        try {
            paused[d.ordinal()] = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isPaused(Dir d) {
        lock.lock();
        try {
            return paused[d.ordinal()];
        } finally {
            lock.unlock();
        }
    }

    /** Bytes forwarded in {@code d}, over all connections. */
    long forwarded(Dir d) {
        return forwarded[d.ordinal()].get();
    }

    /** Reset and half-close faults carried out so far. */
    int faultsDone() {
        return faultsDone.get();
    }

    int connections() {
        return connections.get();
    }

    private Thread start(String name, Runnable r) {
        Thread t = Thread.ofPlatform().daemon().name(name).unstarted(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                if (!closed) {
                    unexpected.add(e);
                }
            }
        });
        threads.add(t);
        t.start();
        return t;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(client);
            int id = connections.incrementAndGet();
            Socket upstream = new Socket();
            sockets.add(upstream);
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.setReceiveBufferSize(RCVBUF);
                upstream.connect(target, 10_000);
            } catch (IOException e) {
                abort(client, upstream);
                continue;
            }
            if (closed) {
                abort(client, upstream);
                return;
            }
            Conn c = new Conn(id, client, upstream);
            start("fault-proxy-" + id + "-to-server", () -> c.pump(Dir.TO_SERVER, client, upstream));
            start("fault-proxy-" + id + "-to-client", () -> c.pump(Dir.TO_CLIENT, upstream, client));
        }
    }

    private static void abort(Socket... ss) {
        for (Socket s : ss) {
            try {
                if (!s.isClosed()) {
                    s.setSoLinger(true, 0);
                }
            } catch (IOException ignored) {
                // already closed
            }
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** Waits while {@code d} is paused; false when the proxy closed meanwhile. */
    private boolean awaitNotPaused(Dir d) throws InterruptedException {
        lock.lock();
        try {
            while (paused[d.ordinal()] && !closed) {
                changed.await(1, TimeUnit.SECONDS);
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    private final class Conn {
        final int id;
        final Socket client;
        final Socket upstream;
        final AtomicInteger finished = new AtomicInteger();

        Conn(int id, Socket client, Socket upstream) {
            this.id = id;
            this.client = client;
            this.upstream = upstream;
        }

        void pump(Dir d, Socket src, Socket dst) {
            int i = d.ordinal();
            int max = chunkMax[i];
            Random rnd = new Random(seed * 31 + id * 1_000_003L + i);
            long reset = resetAfter[i];
            long half = halfCloseAfter[i];
            long limit = reset >= 0 ? reset : half >= 0 ? half : Long.MAX_VALUE;
            long done = 0;
            byte[] buf = new byte[64 * 1024];
            try {
                InputStream in = src.getInputStream();
                OutputStream out = dst.getOutputStream();
                while (true) {
                    if (done == limit) {
                        faultsDone.incrementAndGet();
                        if (reset >= 0) {
                            abort(dst, src);
                            return;
                        }
                        dst.shutdownOutput();
                        break;
                    }
                    if (!awaitNotPaused(d)) {
                        return;
                    }
                    int n = in.read(buf, 0, (int) Math.min(buf.length, limit - done));
                    if (n < 0) {
                        dst.shutdownOutput();
                        break;
                    }
                    for (int off = 0; off < n; ) {
                        int c = max > 0 ? Math.min(n - off, 1 + rnd.nextInt(max)) : n - off;
                        out.write(buf, off, c);
                        off += c;
                        done += c;
                        forwarded[i].addAndGet(c);
                    }
                }
                if (finished.incrementAndGet() == 2) {
                    client.close();
                    upstream.close();
                }
            } catch (IOException | InterruptedException e) {
                abort(src, dst);
            }
        }
    }

    /** Throwables a proxy thread died of (other than I/O errors, which abort a connection). */
    List<Throwable> unexpected() {
        return new ArrayList<>(unexpected);
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        // A connection accepted during close adds its sockets after this: the acceptor sees closed and
        // aborts them itself, so join it first.
        join(acceptor);
        for (Socket s : sockets) {
            abort(s);
        }
        List<Thread> alive = new ArrayList<>();
        for (Thread t : threads) {
            join(t);
            if (t.isAlive()) {
                alive.add(t);
            }
        }
        for (Socket s : sockets) {
            if (!s.isClosed()) {
                throw new AssertionError("fault proxy leaked socket " + s);
            }
        }
        if (!alive.isEmpty()) {
            throw new AssertionError("fault proxy threads still alive after close: " + alive);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
