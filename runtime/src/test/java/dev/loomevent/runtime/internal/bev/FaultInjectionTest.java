package dev.loomevent.runtime.internal.bev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevEventCallback;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.DataCallback;
import dev.loomevent.api.Direction;
import dev.loomevent.api.EolStyle;
import dev.loomevent.api.EvbufferLine;
import dev.loomevent.api.Listener;
import dev.loomevent.runtime.internal.bev.FaultProxy.Dir;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Socket bufferevents (server side from a {@link Listener}, client side from {@code connect}) through
 * a {@link FaultProxy}: re-chunked streams, resets and half-closes after an exact byte count, and a
 * peer that stops reading.
 */
@Timeout(120)
class FaultInjectionTest {
    private Loopback lo;
    private final List<FaultProxy> proxies = new ArrayList<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final List<Bufferevent> bevs = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        lo = new Loopback("fault-injection");
    }

    @AfterEach
    void stop() {
        for (Bufferevent b : bevs) {
            b.free();
        }
        for (FaultProxy p : proxies) {
            p.close();
            assertThat(p.unexpected()).isEmpty();
        }
        for (Listener l : listeners) {
            l.free();
        }
        lo.close();
    }

    // ---- fixtures ------------------------------------------------------------------------------

    /** A listener whose accepted connections become socket bufferevents set up by {@code setup}. */
    private Listener server(Consumer<Bufferevent> setup) {
        Listener l = lo.listen((lis, ch, peer, arg) -> {
            Bufferevent b = Bufferevent.socket(lo.base, ch, EnumSet.of(BevOption.CLOSE_ON_FREE));
            bevs.add(b);
            setup.accept(b);
        });
        listeners.add(l);
        return l;
    }

    private FaultProxy proxy(Listener target) throws IOException {
        FaultProxy p = new FaultProxy(target.localAddress(), 1234);
        proxies.add(p);
        return p;
    }

    private Bufferevent client(FaultProxy p, DataCallback read, BevEventCallback event) {
        Bufferevent c = Bufferevent.socket(lo.base, null, EnumSet.of(BevOption.CLOSE_ON_FREE));
        bevs.add(c);
        c.setCallbacks(read, null, event);
        c.enable(Direction.READ);
        assertThat(c.connect(p.address())).isZero();
        return c;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] drain(Bufferevent b) {
        byte[] got = new byte[(int) b.input().length()];
        int n = b.read(got, 0, got.length);
        return n == got.length ? got : Arrays.copyOf(got, n);
    }

    // ---- 1. re-chunked echo --------------------------------------------------------------------

    @Test
    void echoThroughRechunkingProxyIsIntactBothWays() throws Exception {
        int total = 2 << 20;
        byte[] data = random(total, 1);
        MessageDigest serverGot = sha();
        AtomicLong serverCount = new AtomicLong();
        AtomicInteger serverReads = new AtomicInteger();
        Listener l = server(b -> {
            b.setCallbacks((bev, a) -> {
                byte[] got = drain(bev);
                serverReads.incrementAndGet();
                serverGot.update(got);
                serverCount.addAndGet(got.length);
                bev.write(got);
            }, null, null);
            b.enable(Direction.READ);
        });
        FaultProxy p = proxy(l).chunk(Dir.TO_SERVER, 7).chunk(Dir.TO_CLIENT, 3000);
        MessageDigest clientGot = sha();
        AtomicLong clientCount = new AtomicLong();
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<Integer> events = new CopyOnWriteArrayList<>();
        Bufferevent c = client(p, (b, a) -> {
            byte[] got = drain(b);
            clientGot.update(got);
            if (clientCount.addAndGet(got.length) == total) {
                done.complete(null);
            }
        }, (b, ev, a) -> events.add(ev));
        c.write(data);
        done.get(90, TimeUnit.SECONDS);
        byte[] expected = sha().digest(data);
        assertThat(lo.call(() -> serverCount.get())).isEqualTo(total);
        assertThat(lo.<byte[]>call(serverGot::digest)).isEqualTo(expected);
        assertThat(lo.<byte[]>call(clientGot::digest)).isEqualTo(expected);
        assertThat(events).containsExactly(BevEvent.CONNECTED);
        // The 1..7-byte chunks really reached the server as many small reads.
        assertThat(serverReads.get()).isGreaterThan(1000);
    }

    // ---- 2. line protocol at every boundary -----------------------------------------------------

    /** libevent's evbuffer_readln of a whole stream (only LF and CRLF). */
    private static List<byte[]> expectedLines(byte[] stream, EolStyle style) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < stream.length; i++) {
            if (stream[i] == '\n') {
                int end = i;
                if (style == EolStyle.CRLF && end > start && stream[end - 1] == '\r') {
                    end--;
                }
                lines.add(Arrays.copyOfRange(stream, start, end));
                start = i + 1;
            }
        }
        return lines;
    }

    private static byte[] replies(List<byte[]> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            out.writeBytes(("<" + line.length + ">").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(line);
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** A server that replies {@code <n>line\n} per line read with {@code style}; counts bytes it took. */
    private Listener lineServer(EolStyle style, AtomicLong seen) {
        return server(b -> {
            AtomicLong consumed = new AtomicLong();
            b.setCallbacks((bev, a) -> {
                EvbufferLine line;
                while ((line = bev.input().readln(style)) != null) {
                    consumed.addAndGet(line.length() + line.terminatorLength());
                    bev.write(replies(List.of(line.bytes())));
                }
                seen.set(consumed.get() + bev.input().length());
            }, null, null);
            b.enable(Direction.READ);
        });
    }

    @ParameterizedTest
    @EnumSource(value = EolStyle.class, names = {"CRLF", "LF"})
    void linesSplitAtEveryBoundaryGetExactRepliesInOrder(EolStyle style) throws Exception {
        byte[] msg = "alpha\r\nbeta\n\r\ngamma\r\r\nde\rlta\n\n\r\r\nlast one\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = replies(expectedLines(msg, style));
        AtomicLong seen = new AtomicLong();
        FaultProxy p = proxy(lineServer(style, seen));
        try (SocketChannel c = Loopback.connect(p.address())) {
            long base = 0;
            for (int split = 1; split < msg.length; split++) {
                // The server takes the first part before the second is sent: each split is seen by it.
                Loopback.writeFully(c, Arrays.copyOfRange(msg, 0, split));
                long first = base + split;
                Loopback.await("server to take " + first, () -> seen.get() >= first);
                Loopback.writeFully(c, Arrays.copyOfRange(msg, split, msg.length));
                base += msg.length;
                assertThat(Loopback.readFully(c, expected.length)).as("split at %d", split)
                        .asString(StandardCharsets.ISO_8859_1).isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = EolStyle.class, names = {"CRLF", "LF"})
    void randomLinesThroughOneToThreeByteChunksGetExactRepliesInOrder(EolStyle style) throws Exception {
        Random r = new Random(99);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        byte[] alphabet = "abc\r\r xyz".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 300; i++) {
            // Some lines span several 8 KiB segments of the server's input.
            int len = i % 50 == 0 ? 9000 + r.nextInt(9000) : r.nextInt(400);
            for (int j = 0; j < len; j++) {
                s.write(alphabet[r.nextInt(alphabet.length)]);
            }
            s.writeBytes(r.nextBoolean() ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
        }
        byte[] stream = s.toByteArray();
        byte[] expected = replies(expectedLines(stream, style));
        FaultProxy p = proxy(lineServer(style, new AtomicLong())).chunk(Dir.TO_SERVER, 3).chunk(Dir.TO_CLIENT, 50);
        try (SocketChannel c = Loopback.connect(p.address())) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    Loopback.writeFully(c, stream);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, t -> Thread.ofPlatform().start(t));
            byte[] got = Loopback.readFully(c, expected.length);
            sent.get(30, TimeUnit.SECONDS);
            assertThat(got).isEqualTo(expected);
        }
    }

    // ---- 3. reset after K bytes -----------------------------------------------------------------

    record Ended(int events, Throwable error, byte[] bytes, int leftInKernel) { }

    private void resetAfterK(int k, int chunk, boolean drainInReadCallback) throws Exception {
        resetAfterK(k, chunk, drainInReadCallback, 0, false);
    }

    /**
     * The proxy resets after {@code k} bytes toward the server; the server reads with read
     * high-watermark {@code high}, and with {@code enableAfterReset} only once the reset has happened.
     */
    private void resetAfterK(int k, int chunk, boolean drainInReadCallback, long high, boolean enableAfterReset)
            throws Exception {
        CompletableFuture<Bufferevent> serverBev = new CompletableFuture<>();
        byte[] data = random(k + 50_000, 3);
        CompletableFuture<Ended> ended = new CompletableFuture<>();
        ByteArrayOutputStream delivered = new ByteArrayOutputStream();
        AtomicInteger readsAfterEvent = new AtomicInteger();
        AtomicInteger eventCount = new AtomicInteger();
        Listener l = server(b -> {
            b.setCallbacks(drainInReadCallback ? (bev, a) -> {
                if (ended.isDone()) {
                    readsAfterEvent.incrementAndGet();
                }
                delivered.writeBytes(drain(bev));
            } : null, null, (bev, events, a) -> {
                eventCount.incrementAndGet();
                // What the input holds now comes after everything the read callback already had.
                delivered.writeBytes(drain(bev));
                int left;
                try {
                    left = bev.channel().socket().getInputStream().available();
                } catch (IOException ex) {
                    left = -1;
                }
                ended.complete(new Ended(events, bev.lastError(), delivered.toByteArray(), left));
            });
            if (high > 0) {
                b.setWatermark(Direction.READ, 0, high);
            }
            if (!enableAfterReset) {
                b.enable(Direction.READ);
            }
            serverBev.complete(b);
        });
        FaultProxy p = proxy(l).resetAfter(Dir.TO_SERVER, k).chunk(Dir.TO_SERVER, chunk);
        try (SocketChannel c = Loopback.connect(p.address())) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Loopback.writeFully(c, data);
                } catch (IOException expectedReset) {
                    // the proxy resets the client side too
                }
            });
            if (enableAfterReset) {
                Bufferevent s = serverBev.get(10, TimeUnit.SECONDS);
                Loopback.await("the reset", () -> p.faultsDone() == 1);
                assertThat(ended).isNotDone();
                s.enable(Direction.READ);
            }
            Ended e = ended.get(30, TimeUnit.SECONDS);
            assertThat(BevEvent.toString(e.events())).isEqualTo(BevEvent.toString(BevEvent.ERROR | BevEvent.READING));
            assertThat(e.error()).isInstanceOf(IOException.class);
            // Linux may drop the proxy's last unsent (autocorked) bytes when it closes with SO_LINGER 0,
            // so the server's kernel received a prefix of the K bytes (a plain blocking reader sees
            // the same). What the bufferevent must do: deliver all of that prefix, in order, before
            // the error, and leave nothing unread in the kernel.
            assertThat(e.bytes().length).isPositive().isLessThanOrEqualTo(k);
            assertThat(e.bytes()).isEqualTo(Arrays.copyOf(data, e.bytes().length));
            assertThat(e.leftInKernel()).isZero();
            assertThat(p.forwarded(Dir.TO_SERVER)).isEqualTo(k);
            // No read callback and no second event after the error.
            lo.call(() -> null);
            assertThat(readsAfterEvent).hasValue(0);
            assertThat(eventCount).hasValue(1);
            c.close();
            writer.join(10_000);
            assertThat(writer.isAlive()).isFalse();
        }
    }

    @Test
    void resetAfterKBytesLeavesAllKInTheInputThenErrorReading() throws Exception {
        resetAfterK(100_003, 0, false);
    }

    @Test
    void resetAfterKBytesDeliversAllKToTheReadCallbackBeforeErrorReading() throws Exception {
        resetAfterK(100_003, 0, true);
    }

    @Test
    void resetAfterKSmallChunksDeliversAllKBeforeErrorReading() throws Exception {
        resetAfterK(20_011, 5, true);
    }

    @Test
    void resetAfterKBytesWithReadHighWatermarkDeliversAllKBeforeErrorReading() throws Exception {
        resetAfterK(100_003, 0, true, 1000, false);
    }

    @Test
    void resetBeforeReadingIsEnabledDeliversAllKThenErrorReading() throws Exception {
        resetAfterK(100_003, 0, true, 0, true);
    }

    @Test
    void resetBeforeReadingIsEnabledLeavesAllKInTheInput() throws Exception {
        resetAfterK(100_003, 0, false, 0, true);
    }

    @Test
    void resetAfterFewerBytesThanOneSmallRead() throws Exception {
        resetAfterK(77, 0, true);
    }

    // ---- 4. half-close after K bytes ------------------------------------------------------------

    @Test
    void halfCloseAfterKBytesGivesEofOnceAfterAllKThenCloseAfterFlushReplyArrives() throws Exception {
        int k = 300_007;
        byte[] data = random(k, 4);
        byte[] reply = random(1_500_000, 5);
        ByteArrayOutputStream serverGot = new ByteArrayOutputStream();
        List<Integer> serverEvents = new CopyOnWriteArrayList<>();
        AtomicInteger receivedAtEof = new AtomicInteger(-1);
        AtomicInteger readsAfterEof = new AtomicInteger();
        Listener l = server(b -> {
            b.setCallbacks((bev, a) -> {
                if (!serverEvents.isEmpty()) {
                    readsAfterEof.incrementAndGet();
                }
                serverGot.writeBytes(drain(bev));
            }, null, (bev, events, a) -> {
                serverEvents.add(events);
                serverGot.writeBytes(drain(bev));
                receivedAtEof.set(serverGot.size());
                if (events == (BevEvent.EOF | BevEvent.READING)) {
                    bev.write(reply);
                    bev.closeAfterFlush();
                }
            });
            b.enable(Direction.READ);
        });
        FaultProxy p = proxy(l).halfCloseAfter(Dir.TO_SERVER, k).chunk(Dir.TO_CLIENT, 1000);
        ByteArrayOutputStream clientGot = new ByteArrayOutputStream();
        CompletableFuture<Integer> clientEnd = new CompletableFuture<>();
        List<Integer> clientEvents = new CopyOnWriteArrayList<>();
        Bufferevent c = client(p, (b, a) -> clientGot.writeBytes(drain(b)), (b, events, a) -> {
            clientEvents.add(events);
            if ((events & (BevEvent.EOF | BevEvent.ERROR)) != 0) {
                clientGot.writeBytes(drain(b));
                clientEnd.complete(events);
            }
        });
        c.write(data);
        assertThat(clientEnd.get(30, TimeUnit.SECONDS)).isEqualTo(BevEvent.EOF | BevEvent.READING);
        assertThat(lo.<byte[]>call(clientGot::toByteArray)).isEqualTo(reply);
        assertThat(serverEvents).containsExactly(BevEvent.EOF | BevEvent.READING);
        assertThat(receivedAtEof).hasValue(k);
        assertThat(lo.<byte[]>call(serverGot::toByteArray)).isEqualTo(data);
        assertThat(readsAfterEof).hasValue(0);
        assertThat(clientEvents).containsExactly(BevEvent.CONNECTED, BevEvent.EOF | BevEvent.READING);
    }

    // ---- 5. a proxy that stops reading from the server ------------------------------------------

    @Test
    void stalledReaderHoldsTheWriteCallbackAndEverythingArrivesAfterResume() throws Exception {
        int upfront = 16 << 20;       // more than the server's send buffer (<= 4 MiB) + the proxy's receive buffer
        int total = 24 << 20;
        int chunk = 256 << 10;
        long low = 1 << 20;
        byte[] all = random(total, 6);
        AtomicLong written = new AtomicLong();
        AtomicInteger writeCallbacks = new AtomicInteger();
        AtomicInteger writeCallbacksWhilePaused = new AtomicInteger();
        AtomicLong maxOutputAtWriteCallback = new AtomicLong();
        CompletableFuture<Bufferevent> serverBev = new CompletableFuture<>();
        AtomicReference<FaultProxy> proxyRef = new AtomicReference<>();
        Listener l = server(b -> {
            b.setWatermark(Direction.WRITE, low, 0);
            b.setCallbacks(null, (bev, a) -> {
                writeCallbacks.incrementAndGet();
                if (proxyRef.get().isPaused(Dir.TO_CLIENT)) {
                    writeCallbacksWhilePaused.incrementAndGet();
                }
                maxOutputAtWriteCallback.accumulateAndGet(bev.output().length(), Math::max);
                // The server keeps writing from its write callback.
                while (written.get() < total && bev.output().length() <= low) {
                    int n = (int) Math.min(chunk, total - written.get());
                    bev.write(all, (int) written.get(), n);
                    written.addAndGet(n);
                }
            }, null);
            b.write(all, 0, upfront);
            written.set(upfront);
            serverBev.complete(b);
        });
        FaultProxy p = proxy(l).pause(Dir.TO_CLIENT);
        proxyRef.set(p);
        MessageDigest got = sha();
        AtomicLong count = new AtomicLong();
        CompletableFuture<Void> done = new CompletableFuture<>();
        client(p, (b, a) -> {
            byte[] bytes = drain(b);
            got.update(bytes);
            if (count.addAndGet(bytes.length) == total) {
                done.complete(null);
            }
        }, null);
        Bufferevent s = serverBev.get(10, TimeUnit.SECONDS);
        // Wait for the stall: the output stops shrinking (the kernel buffers are full).
        long[] last = {-1};
        int[] same = {0};
        Loopback.await("the server's writer to stall", () -> {
            long len;
            try {
                len = lo.call(() -> s.output().length());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            same[0] = len == last[0] ? same[0] + 1 : 0;
            last[0] = len;
            return same[0] >= 200;
        });
        long stalledAt = lo.call(() -> s.output().length());
        assertThat(p.forwarded(Dir.TO_CLIENT)).isZero();
        assertThat(count.get()).isZero();
        assertThat(stalledAt).isGreaterThan(low).isLessThanOrEqualTo(written.get());
        assertThat(written.get()).isEqualTo(upfront);
        assertThat(writeCallbacks).hasValue(0);
        p.resume(Dir.TO_CLIENT);
        done.get(90, TimeUnit.SECONDS);
        assertThat(lo.<byte[]>call(got::digest)).isEqualTo(sha().digest(all));
        assertThat(written.get()).isEqualTo(total);
        assertThat(writeCallbacks.get()).isPositive();
        assertThat(writeCallbacksWhilePaused).hasValue(0);
        assertThat(maxOutputAtWriteCallback.get()).isLessThanOrEqualTo(low);
    }

    // ---- 6. write timeout through a stalled proxy -----------------------------------------------

    @Test
    void writeTimeoutThroughStalledProxyDisablesWritingAndConnectionStaysUsable() throws Exception {
        int total = 16 << 20;  // more than the client's send buffer (<= 4 MiB) + the proxy's receive buffer
        byte[] data = random(total, 7);
        MessageDigest serverGot = sha();
        AtomicLong serverCount = new AtomicLong();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Listener l = server(b -> {
            b.setCallbacks((bev, a) -> {
                byte[] got = drain(bev);
                serverGot.update(got);
                if (serverCount.addAndGet(got.length) == total) {
                    done.complete(null);
                }
            }, null, null);
            b.enable(Direction.READ);
        });
        FaultProxy p = proxy(l).pause(Dir.TO_SERVER);
        CompletableFuture<Integer> timeout = new CompletableFuture<>();
        List<Integer> events = new CopyOnWriteArrayList<>();
        Bufferevent c = client(p, null, (b, ev, a) -> {
            events.add(ev);
            if ((ev & BevEvent.TIMEOUT) != 0) {
                timeout.complete(ev);
            }
        });
        c.setTimeouts(null, Duration.ofMillis(300));
        c.write(data);
        assertThat(timeout.get(30, TimeUnit.SECONDS)).isEqualTo(BevEvent.TIMEOUT | BevEvent.WRITING);
        assertThat(c.enabled()).doesNotContain(Direction.WRITE).contains(Direction.READ);
        assertThat(c.channel().isOpen()).isTrue();
        assertThat(c.output().length()).isPositive();
        assertThat(p.forwarded(Dir.TO_SERVER)).isZero();
        c.setTimeouts(null, Duration.ofSeconds(10));
        p.resume(Dir.TO_SERVER);
        c.enable(Direction.WRITE);
        done.get(60, TimeUnit.SECONDS);
        assertThat(lo.<byte[]>call(serverGot::digest)).isEqualTo(sha().digest(data));
        assertThat(events).containsExactly(BevEvent.CONNECTED, BevEvent.TIMEOUT | BevEvent.WRITING);
    }

    // ---- the proxy itself -----------------------------------------------------------------------

    @Test
    void proxyCloseEndsItsThreadsAndClosesItsSockets() throws Exception {
        Listener l = server(b -> b.enable(Direction.READ));
        FaultProxy p = new FaultProxy(l.localAddress(), 1);
        SocketChannel a = Loopback.connect(p.address());
        SocketChannel b = Loopback.connect(p.address());
        p.pause(Dir.TO_SERVER);
        Loopback.await("two connections", () -> p.connections() == 2);
        p.close(); // fails if a thread or socket survives
        // The proxy aborted the connection: the client sees a reset or an EOF, never a hang.
        int n;
        try {
            n = a.read(ByteBuffer.allocate(1));
        } catch (IOException reset) {
            n = -1;
        }
        assertThat(n).isEqualTo(-1);
        a.close();
        b.close();
    }
}
