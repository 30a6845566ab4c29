package dev.loomevent.runtime.internal.bev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.Listener;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many connections, slow peers, and no carrier pinning. Loopback only, bounded counts. */
@Timeout(60)
class LoadTest {

    /** An echo server that records every thread its callbacks ran on. */
    private static Listener recordingEcho(Loopback lo, Set<Thread> threads, AtomicInteger callbacks) {
        return lo.listen((l, ch, peer, arg) -> {
            threads.add(Thread.currentThread());
            Bufferevent bev = Bufferevent.socket(lo.base, ch, EnumSet.of(BevOption.CLOSE_ON_FREE));
            bev.setCallbacks((b, a) -> {
                threads.add(Thread.currentThread());
                callbacks.incrementAndGet();
                b.output().addBuffer(b.input());
            }, (b, a) -> threads.add(Thread.currentThread()), (b, events, a) -> {
                threads.add(Thread.currentThread());
                callbacks.incrementAndGet();
                if ((events & (BevEvent.EOF | BevEvent.ERROR)) != 0) {
                    b.free();
                }
            });
            bev.enable(Direction.READ);
        });
    }

    @Test
    void thousandConcurrentConnectionsAllCallBackOnTheCallbackThread() throws Exception {
        try (Loopback lo = new Loopback("many")) {
            Thread callbackThread = lo.call(Thread::currentThread);
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            AtomicInteger callbacks = new AtomicInteger();
            Listener l = recordingEcho(lo, threads, callbacks);
            int n = 1000;
            List<SocketChannel> clients = new ArrayList<>(n);
            try {
                for (int i = 0; i < n; i++) {
                    clients.add(Loopback.connect(l.localAddress()));
                }
                try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<Boolean>> echoes = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        SocketChannel c = clients.get(i);
                        byte[] msg = ("message " + i + " of the thousand").getBytes();
                        echoes.add(vts.submit(() -> {
                            for (int round = 0; round < 3; round++) {
                                Loopback.writeFully(c, msg);
                                if (!java.util.Arrays.equals(Loopback.readFully(c, msg.length), msg)) {
                                    return false;
                                }
                            }
                            c.shutdownOutput();
                            return c.read(ByteBuffer.allocate(1)) == -1;
                        }));
                    }
                    for (Future<Boolean> f : echoes) {
                        assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
                    }
                }
            } finally {
                for (SocketChannel c : clients) {
                    c.close();
                }
            }
            assertThat(l.stats().accepted()).isEqualTo(n);
            assertThat(callbacks.get()).isGreaterThanOrEqualTo(n * 3 + n);
            assertThat(threads).containsExactly(callbackThread);
            Loopback.await("all connections closed", () -> l.stats().connectionsOpen() == 0);
            l.free();
        }
    }

    @Test
    void peerThatStopsReadingGrowsTheOutputAndWriteLowWatermarkLetsTheWriterPace() throws Exception {
        try (Loopback lo = new Loopback("slow-peer")) {
            Loopback.Pair p = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE));
            Bufferevent bev = p.bev();
            long total = 64L << 20;
            int chunk = 1 << 20;
            long low = 256 << 10;
            AtomicLong produced = new AtomicLong();
            AtomicLong maxOutput = new AtomicLong();
            AtomicInteger writeCallbacks = new AtomicInteger();
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[chunk];
            // The producer adds a block whenever the output drained to the low-watermark, as the
            // watermark-drain example does; its output never holds more than low + one block.
            bev.setWatermark(Direction.WRITE, low, 0);
            Runnable produce = () -> {
                while (produced.get() < total && bev.output().length() <= low) {
                    for (int i = 0; i < block.length; i++) {
                        block[i] = (byte) (produced.get() / chunk + i);
                    }
                    sent.update(block);
                    bev.write(block);
                    produced.addAndGet(chunk);
                    maxOutput.accumulateAndGet(bev.output().length(), Math::max);
                }
            };
            bev.setCallbacks(null, (b, a) -> {
                writeCallbacks.incrementAndGet();
                produce.run();
            }, null);
            lo.call(() -> {
                produce.run();
                return null;
            });
            // Nobody reads: the output keeps what the kernel would not take.
            Loopback.await("the kernel buffers to fill and the output to hold the rest",
                    () -> bev.output().length() > low && lo.base.stats().bytesWritten() > 0);
            assertThat(produced.get()).as("the producer waits for the write callback").isLessThan(total);
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long read = 0;
            while (read < total) {
                int n = p.peer().read(buf.clear());
                assertThat(n).isPositive();
                got.update(buf.array(), 0, n);
                read += n;
            }
            assertThat(got.digest()).isEqualTo(sent.digest());
            assertThat(writeCallbacks.get()).isPositive();
            assertThat(maxOutput.get()).isLessThanOrEqualTo(low + chunk);
            bev.free();
            p.close();
        }
    }

    /**
     * Records JFR's jdk.VirtualThreadPinned with threshold 0 during an echo run: the I/O threads
     * and the callback thread never park while pinned. (On JDK 24+ monitors no longer pin, so this
     * catches native frames and class-initialisation pins; the no-synchronized rule covers JDK 21.)
     */
    @Test
    void echoRunPinsNoCarrier() throws Exception {
        Path file = Files.createTempFile("pinned", ".jfr");
        try (Recording rec = new Recording()) {
            rec.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            rec.start();
            try (Loopback lo = new Loopback("pinned")) {
                Set<Thread> threads = ConcurrentHashMap.newKeySet();
                Listener l = recordingEcho(lo, threads, new AtomicInteger());
                List<SocketChannel> clients = new ArrayList<>();
                try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<?>> done = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        SocketChannel c = Loopback.connect(l.localAddress());
                        clients.add(c);
                        done.add(vts.submit(() -> {
                            byte[] msg = new byte[64];
                            for (int round = 0; round < 200; round++) {
                                Loopback.writeFully(c, msg);
                                Loopback.readFully(c, msg.length);
                            }
                            byte[] big = new byte[1 << 20];
                            Loopback.writeFully(c, big);
                            Loopback.readFully(c, big.length);
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get(30, TimeUnit.SECONDS);
                    }
                } finally {
                    for (SocketChannel c : clients) {
                        c.close();
                    }
                }
                l.free();
            }
            rec.stop();
            rec.dump(file);
            List<RecordedEvent> pinned = RecordingFile.readAllEvents(file);
            assertThat(pinned).as("pinned events: %s", pinned).isEmpty();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
