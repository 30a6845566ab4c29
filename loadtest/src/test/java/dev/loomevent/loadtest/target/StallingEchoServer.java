package dev.loomevent.loadtest.target;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An echo server that, after its first echo, stops echoing until {@code release} is counted down or
 * {@code maxStallMillis} pass, and records how long it stalled. Bytes sent meanwhile queue in the kernel.
 */
public final class StallingEchoServer extends JavaEchoServer {
    private final CountDownLatch release;
    private final long maxStallMillis;
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final CountDownLatch stallStarted = new CountDownLatch(1);
    private volatile long stallNanos;

    public StallingEchoServer(CountDownLatch release, long maxStallMillis) {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.release = release;
        this.maxStallMillis = maxStallMillis;
    }

    @Override
    protected void echo(SocketChannel ch, ByteBuffer data) throws IOException {
        super.echo(ch, data);
        if (stalled.compareAndSet(false, true)) {
            long t0 = System.nanoTime();
            stallStarted.countDown();
            try {
                release.await(maxStallMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stallNanos = System.nanoTime() - t0;
        }
    }

    /** Returns how long the server stalled, ns (0 before it did). */
    public long stallNanos() {
        return stallNanos;
    }

    /** Returns a latch counted down when the stall begins. */
    public CountDownLatch stallStarted() {
        return stallStarted;
    }
}
