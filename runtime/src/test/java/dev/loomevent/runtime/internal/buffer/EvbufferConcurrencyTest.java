package dev.loomevent.runtime.internal.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One producer appends, one consumer drains, 100 MB go through one buffer; what comes out must
 * hash to what went in. Both sides mix the ways of adding and removing; the consumer waits on a
 * condition that the buffer's change observer signals, as a bufferevent would.
 */
class EvbufferConcurrencyTest {
    private static final long TOTAL = 100L << 20;
    private static final long HIGH = 4L << 20;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void hundredMegabytesPassUnchanged() throws Exception {
        long seed = new Random().nextLong();
        ReentrantLock lock = new ReentrantLock();
        Condition changed = lock.newCondition();
        ChainEvbuffer buf = new ChainEvbuffer(lock, new SegmentPool(true, 4096, 256));
        buf.setObserver((b, added, deleted) -> changed.signalAll());
        AtomicInteger cleanups = new AtomicInteger();
        AtomicInteger references = new AtomicInteger();

        CompletableFuture<byte[]> produced = CompletableFuture.supplyAsync(() -> produce(seed, buf, lock, changed,
                references, cleanups), Thread.ofPlatform().name("producer")::start);
        CompletableFuture<byte[]> consumed = CompletableFuture.supplyAsync(() -> consume(seed, buf, lock, changed),
                Thread.ofPlatform().name("consumer")::start);

        byte[] in = produced.get(100, TimeUnit.SECONDS);
        byte[] out = consumed.get(100, TimeUnit.SECONDS);
        assertThat(out).as("SHA-256 of the bytes out (seed " + seed + ")").isEqualTo(in);
        assertThat(buf.length()).isZero();
        assertThat(buf.segmentCount()).isZero();
        assertThat(cleanups.get()).as("reference cleanups").isEqualTo(references.get());
        buf.free();
    }

    private static byte[] produce(long seed, ChainEvbuffer buf, ReentrantLock lock, Condition changed,
                                  AtomicInteger references, AtomicInteger cleanups) {
        Random r = new Random(seed);
        MessageDigest md = sha256();
        byte[] chunk = new byte[32 * 1024];
        ByteBuffer direct = ByteBuffer.allocateDirect(chunk.length);
        long sent = 0;
        while (sent < TOTAL) {
            int n = (int) Math.min(TOTAL - sent, 1 + r.nextInt(r.nextBoolean() ? 100 : chunk.length));
            r.nextBytes(chunk);
            md.update(chunk, 0, n);
            waitBelowHigh(buf, lock, changed);
            switch (r.nextInt(4)) {
                case 0 -> buf.add(chunk, 0, n);
                case 1 -> {
                    direct.clear();
                    direct.put(chunk, 0, n).flip();
                    buf.add(direct);
                }
                case 2 -> {
                    buf.lock();
                    try {
                        ByteBuffer[] v = buf.reserveSpace(n, 2);
                        int off = 0;
                        for (ByteBuffer x : v) {
                            int k = Math.min(x.remaining(), n - off);
                            x.put(chunk, off, k);
                            off += k;
                        }
                        buf.commitSpace(v);
                    } finally {
                        buf.unlock();
                    }
                }
                default -> {
                    references.incrementAndGet();
                    buf.addReference(ByteBuffer.wrap(chunk.clone(), 0, n), x -> cleanups.incrementAndGet());
                }
            }
            sent += n;
        }
        return md.digest();
    }

    private static void waitBelowHigh(ChainEvbuffer buf, ReentrantLock lock, Condition changed) {
        lock.lock();
        try {
            while (buf.length() >= HIGH) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    private static byte[] consume(long seed, ChainEvbuffer buf, ReentrantLock lock, Condition changed) {
        Random r = new Random(~seed);
        MessageDigest md = sha256();
        byte[] out = new byte[64 * 1024];
        ChainEvbuffer side = new ChainEvbuffer();
        long got = 0;
        while (got < TOTAL) {
            lock.lock();
            try {
                while (buf.length() == 0) {
                    changed.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
            int want = 1 + r.nextInt(r.nextBoolean() ? 200 : out.length);
            int n;
            switch (r.nextInt(3)) {
                case 0 -> n = buf.remove(out, 0, want);
                case 1 -> {
                    buf.lock();
                    try {
                        n = buf.copyOut(out, 0, want);
                        buf.drain(n);
                    } finally {
                        buf.unlock();
                    }
                }
                default -> {
                    n = (int) buf.removeBuffer(side, want);
                    assertThat(side.remove(out, 0, n)).isEqualTo(n);
                }
            }
            md.update(out, 0, n);
            got += n;
        }
        side.free();
        return md.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The socket bufferevent's data path: a reader thread fills an input buffer with
     * {@code readFrom}, a "callback" thread moves input to output with {@code addBuffer}, a writer
     * thread empties the output with {@code writeTo}; both buffers share one lock, as in a
     * bufferevent. 32 MB through two pipes must arrive unchanged.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void readerMoverWriterPipelinePassesBytesUnchanged() throws Exception {
        long seed = new Random().nextLong();
        long total = 32L << 20;
        ReentrantLock lock = new ReentrantLock();
        Condition changed = lock.newCondition();
        SegmentPool pool = new SegmentPool(true, 8192, 64);
        ChainEvbuffer in = new ChainEvbuffer(lock, pool);
        ChainEvbuffer out = new ChainEvbuffer(lock, pool);
        in.setObserver((b, a, d) -> changed.signalAll());
        out.setObserver((b, a, d) -> changed.signalAll());
        boolean[] flags = new boolean[2]; // [0] reader saw EOF, [1] mover done; guarded by lock
        java.nio.channels.Pipe src = java.nio.channels.Pipe.open();
        java.nio.channels.Pipe dst = java.nio.channels.Pipe.open();

        CompletableFuture<byte[]> sent = CompletableFuture.supplyAsync(() -> {
            Random r = new Random(seed);
            MessageDigest md = sha256();
            byte[] chunk = new byte[20_000];
            try (var sink = src.sink()) {
                for (long left = total; left > 0; ) {
                    int n = (int) Math.min(left, 1 + r.nextInt(chunk.length));
                    r.nextBytes(chunk);
                    md.update(chunk, 0, n);
                    ByteBuffer b = ByteBuffer.wrap(chunk, 0, n);
                    while (b.hasRemaining()) {
                        sink.write(b);
                    }
                    left -= n;
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return md.digest();
        }, Thread.ofVirtual()::start);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (var source = src.source()) {
                while (true) {
                    lock.lock();
                    try {
                        while (in.length() >= HIGH) {
                            changed.awaitUninterruptibly();
                        }
                    } finally {
                        lock.unlock();
                    }
                    if (in.readFrom(source, 16384) < 0) {
                        break;
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            lock.lock();
            try {
                flags[0] = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }, Thread.ofVirtual()::start);
        CompletableFuture<Void> mover = CompletableFuture.runAsync(() -> {
            lock.lock();
            try {
                while (true) {
                    while (in.length() == 0 && !flags[0]) {
                        changed.awaitUninterruptibly();
                    }
                    if (in.length() == 0) {
                        break;
                    }
                    out.addBuffer(in);
                }
                flags[1] = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }, Thread.ofVirtual()::start);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (var sink = dst.sink()) {
                while (true) {
                    lock.lock();
                    try {
                        while (out.length() == 0 && !flags[1]) {
                            changed.awaitUninterruptibly();
                        }
                        if (out.length() == 0) {
                            break;
                        }
                    } finally {
                        lock.unlock();
                    }
                    out.writeTo(sink, 1 << 20);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, Thread.ofVirtual()::start);
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            MessageDigest md = sha256();
            ByteBuffer b = ByteBuffer.allocate(65536);
            try (var source = dst.source()) {
                while (source.read(b) >= 0) {
                    b.flip();
                    md.update(b);
                    b.clear();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return md.digest();
        }, Thread.ofVirtual()::start);

        byte[] a = sent.get(100, TimeUnit.SECONDS);
        reader.get(100, TimeUnit.SECONDS);
        mover.get(100, TimeUnit.SECONDS);
        writer.get(100, TimeUnit.SECONDS);
        byte[] b = received.get(100, TimeUnit.SECONDS);
        assertThat(b).as("SHA-256 of the bytes out (seed " + seed + ")").isEqualTo(a);
        assertThat(in.segmentCount()).isZero();
        assertThat(out.segmentCount()).isZero();
    }
}
