package dev.loomevent.runtime.internal.bev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.DnsResolver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Socket bufferevents at the edges a review found: Unix-domain channels, a channel replaced while
 * a write to the old one is blocked, the write timeout's start, and closeAfterFlush() before the
 * connection exists.
 */
@Timeout(60)
class SocketEdgeCasesTest {

    /** Two connected Unix-domain channels: [0] ours, [1] the peer's. */
    private static SocketChannel[] unixPair() throws IOException {
        Path dir = Files.createTempDirectory("loomevent-uds");
        Path sock = dir.resolve("s");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            SocketChannel peer = SocketChannel.open(UnixDomainSocketAddress.of(sock));
            return new SocketChannel[] {server.accept(), peer};
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    /** Frees {@code bevs} on the callback thread and waits for it. */
    private static void freeOnLoop(Loopback lo, Bufferevent... bevs) throws Exception {
        lo.call(() -> {
            for (Bufferevent b : bevs) {
                b.free();
            }
            return null;
        });
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + i / 251);
        }
        return b;
    }

    /**
     * Reads {@code ch} on a thread of its own into {@code out} until EOF or close, counting into
     * {@code count}; read {@code out} only after joining the thread.
     */
    private static Thread drain(SocketChannel ch, ByteArrayOutputStream out, AtomicLong count) {
        return Thread.ofPlatform().daemon().start(() -> {
            ByteBuffer b = ByteBuffer.allocate(1 << 16);
            try {
                while (true) {
                    b.clear();
                    int n = ch.read(b);
                    if (n < 0) {
                        return;
                    }
                    out.write(b.array(), 0, n);
                    count.addAndGet(n);
                }
            } catch (IOException closed) {
                // the test closed the channel: done
            }
        });
    }

    @Test
    void aUnixDomainChannelDeliversEveryByte() throws Exception {
        // It has no socket adaptor, so no available(): the reader must keep to blocking reads
        // instead of dying at the first full one (it stopped after 128 bytes).
        byte[] data = pattern(200_000);
        SocketChannel[] p = unixPair();
        try (Loopback lo = new Loopback("uds-read")) {
            Bufferevent bev = Bufferevent.socket(lo.base, p[0], EnumSet.of(BevOption.CLOSE_ON_FREE));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            CountDownLatch all = new CountDownLatch(1);
            bev.setCallbacks((b, arg) -> {
                byte[] chunk = new byte[(int) b.input().length()];
                b.input().remove(chunk, 0, chunk.length);
                got.writeBytes(chunk);
                if (got.size() == data.length) {
                    all.countDown();
                }
            }, null, null);
            bev.enable(Direction.READ);
            Loopback.writeFully(p[1], data);
            assertThat(all.await(20, TimeUnit.SECONDS)).as("got %d of %d bytes", got.size(), data.length).isTrue();
            assertThat(got.toByteArray()).isEqualTo(data);
            freeOnLoop(lo, bev);
        } finally {
            p[1].close();
        }
    }

    @Test
    void replacingTheChannelWhileAWriteToTheOldOneIsBlockedLosesAndRepeatsNothing() throws Exception {
        int total = 4 << 20;
        byte[] data = pattern(total);
        SocketChannel[] a = unixPair();
        SocketChannel[] b = unixPair();
        try (Loopback lo = new Loopback("setchannel-blocked")) {
            Bufferevent bev = Bufferevent.socket(lo.base, a[0], EnumSet.noneOf(BevOption.class));
            bev.write(data);
            // Nobody reads the old peer yet: the writer fills its socket and blocks in a write.
            Loopback.await("the writer to start", () -> bev.output().length() < total);
            assertThat(lo.call(() -> bev.setChannel(b[0]))).isZero();
            ByteArrayOutputStream old = new ByteArrayOutputStream();
            ByteArrayOutputStream fresh = new ByteArrayOutputStream();
            AtomicLong oldCount = new AtomicLong();
            AtomicLong freshCount = new AtomicLong();
            Thread t1 = drain(a[1], old, oldCount);
            Thread t2 = drain(b[1], fresh, freshCount);
            Loopback.await("every byte to arrive", () -> oldCount.get() + freshCount.get() >= total);
            freeOnLoop(lo, bev);
            a[0].close();
            b[0].close();
            t1.join(10_000);
            t2.join(10_000);
            byte[] o = old.toByteArray(); // after join: all the drain threads wrote is visible
            byte[] f = fresh.toByteArray();
            assertThat(o.length + f.length).as("bytes sent in all").isEqualTo(total);
            assertThat(Arrays.equals(o, 0, o.length, data, 0, o.length)).as("the old channel got a prefix").isTrue();
            assertThat(Arrays.equals(f, 0, f.length, data, o.length, total))
                    .as("the new channel continues where the old one stopped").isTrue();
        } finally {
            a[1].close();
            b[1].close();
        }
    }

    @Test
    void theWriteTimeoutCountsFromWhenTheOutputStartsToWait() throws Exception {
        SocketChannel[] p = unixPair();
        // Fill the socket while the peer does not read, so the bufferevent's first byte must wait.
        p[0].configureBlocking(false);
        ByteBuffer junk = ByteBuffer.allocate(4096);
        while (true) {
            junk.clear();
            if (p[0].write(junk) == 0) {
                break;
            }
        }
        try (Loopback lo = new Loopback("write-timeout-start")) {
            Bufferevent bev = Bufferevent.socket(lo.base, p[0], EnumSet.of(BevOption.CLOSE_ON_FREE));
            CompletableFuture<Long> fired = new CompletableFuture<>();
            CompletableFuture<Integer> what = new CompletableFuture<>();
            bev.setCallbacks(null, null, (x, events, arg) -> {
                what.complete(events);
                fired.complete(System.nanoTime());
            });
            Duration timeout = Duration.ofMillis(400);
            bev.setTimeouts(null, timeout);
            // More than the timeout passes with nothing to write: that time must not count.
            assertThat(fired.completeOnTimeout(-1L, 3 * timeout.toMillis(), TimeUnit.MILLISECONDS).get()).isEqualTo(-1L);
            CompletableFuture<Long> fired2 = new CompletableFuture<>();
            bev.setCallbacks(null, null, (x, events, arg) -> fired2.complete(System.nanoTime()));
            long start = System.nanoTime();
            bev.write(new byte[] {1});
            long waited = fired2.get(10, TimeUnit.SECONDS) - start;
            assertThat(waited).as("ns from the write to TIMEOUT|WRITING").isGreaterThanOrEqualTo(timeout.toNanos());
            freeOnLoop(lo, bev);
        } finally {
            p[1].close();
        }
    }

    @Test
    void closeAfterFlushWhileConnectingWithNothingToSendFreesOnceConnected() throws Exception {
        try (Loopback lo = new Loopback("caf-connecting"); ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(Loopback.anyPort());
            CountDownLatch connected = new CountDownLatch(1);
            Bufferevent bev = Bufferevent.socket(lo.base, null, EnumSet.of(BevOption.CLOSE_ON_FREE));
            bev.setCallbacks(null, null, (x, events, arg) -> {
                if ((events & BevEvent.CONNECTED) != 0) {
                    connected.countDown();
                }
            });
            bev.lock(); // the connect cannot complete before closeAfterFlush()
            try {
                assertThat(bev.connect(server.getLocalAddress())).isZero();
                bev.closeAfterFlush();
            } finally {
                bev.unlock();
            }
            try (SocketChannel accepted = server.accept()) {
                // Freed with CLOSE_ON_FREE: the server side sees the end of the stream.
                assertThat(accepted.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            }
        }
    }

    @Test
    void closeAfterFlushDuringANameLookupStillConnectsAndSends() throws Exception {
        try (Loopback lo = new Loopback("caf-lookup"); ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(Loopback.anyPort());
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            CountDownLatch release = new CountDownLatch(1);
            DnsResolver slow = (host, family) -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new java.net.UnknownHostException(host);
                }
                return List.of(InetAddress.getLoopbackAddress());
            };
            Bufferevent bev = Bufferevent.socket(lo.base, null, EnumSet.of(BevOption.CLOSE_ON_FREE));
            assertThat(bev.connectHostname(slow, null, "example.test", port)).isZero();
            bev.write("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            bev.closeAfterFlush();
            release.countDown();
            try (SocketChannel accepted = server.accept()) {
                assertThat(new String(Loopback.readFully(accepted, 5), java.nio.charset.StandardCharsets.US_ASCII))
                        .isEqualTo("hello");
                assertThat(accepted.read(ByteBuffer.allocate(1))).as("closed after the flush").isEqualTo(-1);
            }
        }
    }

    @Test
    void callbacksAddedToTheBuffersOfABuffereventRunOnTheCallbackThread() throws Exception {
        try (Loopback lo = new Loopback("evbuffer-cb-thread"); Loopback.Pair p = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE))) {
            Bufferevent bev = p.bev();
            java.util.concurrent.ConcurrentLinkedQueue<Object> where = new java.util.concurrent.ConcurrentLinkedQueue<>();
            AtomicLong added = new AtomicLong();
            CountDownLatch all = new CountDownLatch(1);
            bev.input().addCallback((buf, info) -> {
                where.add(String.valueOf(dev.loomevent.api.EventBase.current() == lo.base));
                if (added.addAndGet(info.nAdded()) >= 1000) {
                    all.countDown();
                }
            });
            bev.enable(Direction.READ); // no read callback: the input only grows, by the reader thread
            Loopback.writeFully(p.peer(), pattern(1000));
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(where).isNotEmpty().containsOnly("true");
            freeOnLoop(lo, bev);
        }
    }

    @Test
    void bytesTheOldReaderTookAreKeptForTheChannelWhenSetChannelReplacesItEvenWithCloseOnFree() throws Exception {
        try (Loopback lo = new Loopback("setchannel-leftover");
             Loopback.Pair p = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE));
             Loopback.Pair other = lo.pair(EnumSet.noneOf(BevOption.class))) {
            Bufferevent bev = p.bev();
            SocketChannel first = bev.channel();
            bev.enable(Direction.READ); // its reader blocks in a read of 'first'
            SocketChannel second = other.bev().channel();
            freeOnLoop(lo, other.bev());
            assertThat(lo.call(() -> bev.setChannel(second))).isZero();
            // The old reader wakes with these bytes, finds its channel replaced, and leaves them.
            Loopback.writeFully(p.peer(), "xyz".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            Bufferevent next = Bufferevent.socket(lo.base, first, EnumSet.of(BevOption.CLOSE_ON_FREE));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            CountDownLatch four = new CountDownLatch(1);
            next.setCallbacks((b, arg) -> {
                byte[] chunk = new byte[(int) b.input().length()];
                b.input().remove(chunk, 0, chunk.length);
                got.writeBytes(chunk);
                if (got.size() >= 4) {
                    four.countDown();
                }
            }, null, null);
            next.enable(Direction.READ);
            // "!" only once "xyz" is either left over by the old reader or read by the new one:
            // the old reader, had it not read yet, would take "xyz!" together.
            Loopback.await("xyz left over or read", () -> ReadHandover.has(first) || got.size() > 0);
            Loopback.writeFully(p.peer(), "!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(four.await(10, TimeUnit.SECONDS)).as("got %s", got).isTrue();
            assertThat(got.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("xyz!");
            freeOnLoop(lo, next, bev);
        }
    }

    @Test
    void addingToTheOutputOfAFreedBuffereventFailsInsteadOfLosingTheBytes() throws Exception {
        try (Loopback lo = new Loopback("add-after-free"); Loopback.Pair p = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE))) {
            Bufferevent bev = p.bev();
            dev.loomevent.api.Evbuffer out = bev.output();
            freeOnLoop(lo, bev);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> out.add(new byte[] {1, 2, 3}))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("was freed");
        }
    }

    @Test
    void aConnectToAnUnresolvedAddressReportsErrorInsteadOfHangingInConnecting() throws Exception {
        try (Loopback lo = new Loopback("connect-unresolved")) {
            Bufferevent bev = Bufferevent.socket(lo.base, null, EnumSet.of(BevOption.CLOSE_ON_FREE));
            CompletableFuture<Integer> events = new CompletableFuture<>();
            bev.setCallbacks(null, null, (b, ev, arg) -> events.complete(ev));
            assertThat(bev.connect(InetSocketAddress.createUnresolved("no.such.host.invalid", 80))).isZero();
            assertThat(events.get(10, TimeUnit.SECONDS) & BevEvent.ERROR).isNotZero();
            assertThat(bev.lastError()).hasMessageContaining("no.such.host.invalid");
            freeOnLoop(lo, bev);
        }
    }

    @Test
    void aFailedNameLookupOnAConnectedBuffereventLeavesItReading() throws Exception {
        try (Loopback lo = new Loopback("lookup-on-connected"); Loopback.Pair p = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE))) {
            Bufferevent bev = p.bev();
            CompletableFuture<Integer> events = new CompletableFuture<>();
            CompletableFuture<Long> read = new CompletableFuture<>();
            bev.setCallbacks((b, a) -> read.complete(b.input().length()), null, (b, ev, a) -> events.complete(ev));
            bev.enable(Direction.READ);
            DnsResolver loopback = (host, family) -> List.of(InetAddress.getLoopbackAddress());
            assertThat(bev.connectHostname(loopback, null, "x.test", 9)).isZero();
            // libevent: the connect fails (a channel is connected already), reading goes on.
            assertThat(events.get(10, TimeUnit.SECONDS) & BevEvent.ERROR).isNotZero();
            Loopback.writeFully(p.peer(), new byte[] {1, 2, 3});
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(3);
            freeOnLoop(lo, bev);
        }
    }
}
