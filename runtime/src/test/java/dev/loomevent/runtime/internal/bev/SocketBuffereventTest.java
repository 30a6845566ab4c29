package dev.loomevent.runtime.internal.bev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.DnsResolver;
import dev.loomevent.api.TriggerOption;
import dev.loomevent.api.Watermark;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Socket bufferevent behaviour over real loopback sockets: libevent's bufferevent_sock.c rules. */
@Timeout(30)
class SocketBuffereventTest {
    private static final Set<BevOption> CLOSE = EnumSet.of(BevOption.CLOSE_ON_FREE);
    private Loopback lo;

    @BeforeEach
    void start() {
        lo = new Loopback("bev-test");
    }

    @AfterEach
    void stop() {
        lo.close();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    // ---- defaults and arguments ----------------------------------------------------------------

    @Test
    void newBuffereventHasWriteEnabledReadDisabledAndNoWatermarks() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            assertThat(bev.enabled()).containsExactly(Direction.WRITE);
            assertThat(bev.getWatermark(Direction.READ)).isEqualTo(Watermark.NONE);
            assertThat(bev.getWatermark(Direction.WRITE)).isEqualTo(Watermark.NONE);
            assertThat(bev.priority()).isEqualTo(lo.base.priorities() / 2);
            assertThat(bev.flush(EnumSet.of(Direction.WRITE), dev.loomevent.api.FlushMode.FINISHED)).isZero();
            assertThat(bev.channel()).isNotNull();
            assertThat(bev.underlying()).isNull();
            bev.free();
        }
    }

    @Test
    void badArgumentsAreRejectedByName() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            assertThatThrownBy(() -> bev.setWatermark(Direction.READ, -1, 0)).hasMessageContaining("low").hasMessageContaining("-1");
            assertThatThrownBy(() -> bev.setTimeouts(Duration.ofSeconds(-1), null)).hasMessageContaining("read");
            assertThatThrownBy(() -> bev.connectHostname(null, null, "localhost", 0)).hasMessageContaining("port").hasMessageContaining("0");
            assertThat(bev.getWatermark(Direction.READ)).isEqualTo(Watermark.NONE);
            bev.free();
        }
        assertThatThrownBy(() -> Bufferevent.socket(lo.base, null, EnumSet.of(BevOption.UNLOCK_CALLBACKS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DEFER_CALLBACKS");
    }

    // ---- watermarks ----------------------------------------------------------------------------

    @Test
    void readCallbackWaitsForLowWatermark() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            List<Long> seen = new CopyOnWriteArrayList<>();
            bev.setWatermark(Direction.READ, 100, 0);
            bev.setCallbacks((b, a) -> seen.add(b.input().length()), null, null);
            bev.enable(Direction.READ);
            Loopback.writeFully(p.peer(), bytes(99));
            Loopback.await("99 bytes in the input", () -> bev.input().length() == 99);
            lo.call(() -> null); // any read callback queued with those bytes has run by now
            assertThat(seen).isEmpty();
            Loopback.writeFully(p.peer(), bytes(1));
            Loopback.await("the read callback", () -> !seen.isEmpty());
            assertThat(seen).containsExactly(100L);
            bev.free();
        }
    }

    @Test
    void queuedReadCallbackIsSkippedWhenAnEarlierOneDrainedItsBytes() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            List<Long> calls = new CopyOnWriteArrayList<>();
            bev.setCallbacks((b, a) -> {
                calls.add(b.input().length());
                if (calls.size() == 1) {
                    // More bytes arrive while this callback runs: the reader queues another call.
                    try {
                        Loopback.writeFully(p.peer(), bytes(5));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    Loopback.await("the second read", () -> b.input().length() == 10);
                }
                b.input().drain(b.input().length());
            }, null, null);
            bev.enable(Direction.READ);
            Loopback.writeFully(p.peer(), bytes(5));
            Loopback.await("the first read callback", () -> !calls.isEmpty());
            lo.call(() -> null);
            lo.call(() -> null);
            // libevent reads only between callbacks, so it would never call with an empty input.
            assertThat(calls).containsExactly(5L);
            bev.free();
        }
    }

    @Test
    void readerNeverReadsPastHighWatermarkAndResumesWhenDrained() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            AtomicLong maxSeen = new AtomicLong();
            bev.setWatermark(Direction.READ, 0, 1000);
            bev.setCallbacks((b, a) -> maxSeen.accumulateAndGet(b.input().length(), Math::max), null, null);
            bev.enable(Direction.READ);
            byte[] data = bytes(10_000);
            Loopback.writeFully(p.peer(), data);
            ByteBuffer got = ByteBuffer.allocate(data.length);
            while (got.hasRemaining()) {
                Loopback.await("input at the high-watermark or holding the rest",
                        () -> bev.input().length() == Math.min(1000, got.remaining()));
                lo.call(() -> {
                    assertThat(bev.input().length()).isLessThanOrEqualTo(1000);
                    byte[] chunk = new byte[(int) bev.input().length()];
                    bev.read(chunk, 0, chunk.length);
                    got.put(chunk);
                    return null;
                });
            }
            assertThat(got.array()).isEqualTo(data);
            assertThat(maxSeen.get()).isEqualTo(1000);
            assertThat(bev.enabled()).contains(Direction.READ);
            assertThat(lo.base.stats().readHighWatermarkNanos()).isPositive();
            bev.free();
        }
    }

    @Test
    void writeCallbackRunsOnlyAtOrBelowWriteLowWatermark() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            List<Long> atCallback = new CopyOnWriteArrayList<>();
            bev.setWatermark(Direction.WRITE, 4096, 0);
            bev.setCallbacks(null, (b, a) -> atCallback.add(b.output().length()), null);
            int total = 24 << 20;
            lo.call(() -> {
                bev.write(bytes(total));
                return null;
            });
            // The peer does not read yet: the kernel buffers fill, the rest waits in the output.
            Loopback.await("the writer to block", () -> bev.output().length() > 0
                    && lo.base.stats().bytesWritten() > 0);
            lo.call(() -> null);
            assertThat(atCallback).isEmpty();
            assertThat(bev.output().length()).isGreaterThan(4096);
            Loopback.readFully(p.peer(), total);
            Loopback.await("the write callback", () -> !atCallback.isEmpty());
            assertThat(atCallback).allSatisfy(len -> assertThat(len).isLessThanOrEqualTo(4096));
            bev.free();
        }
    }

    @Test
    void defaultWriteLowWatermarkCallsBackOnlyWhenDrained() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            List<Long> atCallback = new CopyOnWriteArrayList<>();
            bev.setCallbacks(null, (b, a) -> atCallback.add(b.output().length()), null);
            bev.write(bytes(5000));
            Loopback.readFully(p.peer(), 5000);
            Loopback.await("the write callback", () -> !atCallback.isEmpty());
            assertThat(atCallback).containsOnly(0L);
            bev.free();
        }
    }

    // ---- timeouts ------------------------------------------------------------------------------

    @Test
    void readTimeoutDisablesReadingButKeepsConnection() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            CompletableFuture<Integer> event = new CompletableFuture<>();
            List<String> reads = new CopyOnWriteArrayList<>();
            bev.setCallbacks((b, a) -> {
                byte[] x = new byte[(int) b.input().length()];
                b.read(x, 0, x.length);
                reads.add(new String(x));
            }, null, (b, events, a) -> event.complete(events));
            bev.setTimeouts(Duration.ofMillis(100), null);
            bev.enable(Direction.READ);
            assertThat(event.get(10, TimeUnit.SECONDS)).isEqualTo(BevEvent.TIMEOUT | BevEvent.READING);
            assertThat(bev.enabled()).doesNotContain(Direction.READ);
            assertThat(lo.base.stats().timeouts(Direction.READ)).isEqualTo(1);
            bev.setTimeouts(null, null);
            bev.enable(Direction.READ);
            Loopback.writeFully(p.peer(), "still here".getBytes());
            Loopback.await("the read callback", () -> String.join("", reads).equals("still here"));
            bev.free();
        }
    }

    @Test
    void writeTimeoutDisablesWritingButKeepsConnection() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            CompletableFuture<Integer> event = new CompletableFuture<>();
            AtomicInteger drained = new AtomicInteger();
            bev.setCallbacks(null, (b, a) -> drained.incrementAndGet(), (b, events, a) -> event.complete(events));
            bev.setTimeouts(null, Duration.ofMillis(100));
            int total = 24 << 20;
            bev.write(bytes(total));
            assertThat(event.get(10, TimeUnit.SECONDS)).isEqualTo(BevEvent.TIMEOUT | BevEvent.WRITING);
            assertThat(bev.enabled()).doesNotContain(Direction.WRITE);
            bev.setTimeouts(null, null);
            bev.enable(Direction.WRITE);
            Loopback.readFully(p.peer(), total);
            Loopback.await("the write callback", () -> drained.get() > 0);
            assertThat(bev.output().length()).isZero();
            bev.free();
        }
    }

    /** Waits for a base timer of {@code millis}: long enough for a shorter timeout to have fired. */
    private void letTimePass(long millis) throws Exception {
        CompletableFuture<Void> passed = new CompletableFuture<>();
        lo.base.once(0, Duration.ofMillis(millis), (ev, what, arg) -> passed.complete(null), null);
        passed.get(10, TimeUnit.SECONDS);
    }

    @Test
    void readTimeoutDoesNotCountWhileHeldAtHighWatermark() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            List<Integer> events = new CopyOnWriteArrayList<>();
            bev.setWatermark(Direction.READ, 0, 10);
            bev.setCallbacks((b, a) -> { }, null, (b, ev, a) -> events.add(ev));
            bev.enable(Direction.READ);
            Loopback.writeFully(p.peer(), bytes(10));
            Loopback.await("the input at the high-watermark", () -> bev.input().length() == 10);
            bev.setTimeouts(Duration.ofMillis(50), null);
            letTimePass(300);
            assertThat(events).as("no timeout while held").isEmpty();
            lo.call(() -> {
                bev.input().drain(10);
                return null;
            });
            Loopback.await("the timeout once reading waits again", () -> !events.isEmpty());
            assertThat(events).containsExactly(BevEvent.TIMEOUT | BevEvent.READING);
            bev.free();
        }
    }

    @Test
    void writeTimeoutDoesNotCountWithNothingToWrite() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            List<Integer> events = new CopyOnWriteArrayList<>();
            bev.setCallbacks(null, null, (b, ev, a) -> events.add(ev));
            bev.setTimeouts(null, Duration.ofMillis(50));
            bev.enable(Direction.WRITE);
            letTimePass(300);
            assertThat(events).isEmpty();
            assertThat(bev.enabled()).contains(Direction.WRITE);
            bev.free();
        }
    }

    // ---- EOF, errors, connecting ---------------------------------------------------------------

    @Test
    void eofArrivesOnceAfterAllBytesAndDisablesReading() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            List<String> events = new CopyOnWriteArrayList<>();
            bev.setCallbacks(null, null, (b, ev, a) -> events.add(BevEvent.toString(ev) + "/" + b.input().length()
                    + "/" + b.enabled().contains(Direction.READ)));
            bev.enable(Direction.READ);
            Loopback.writeFully(p.peer(), bytes(5000));
            p.peer().shutdownOutput();
            Loopback.await("the EOF event", () -> !events.isEmpty());
            lo.call(() -> null);
            lo.call(() -> null);
            assertThat(events).containsExactly("EOF|READING/5000/false");
            assertThat(lo.base.stats().eofs(Direction.READ)).isEqualTo(1);
            bev.free();
        }
    }

    @Test
    void resetByPeerIsAnErrorWhileReadingWithTheCause() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            CompletableFuture<Integer> event = new CompletableFuture<>();
            bev.setCallbacks(null, null, (b, ev, a) -> event.complete(ev));
            bev.enable(Direction.READ);
            p.peer().setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
            p.peer().close();
            int ev = event.get(10, TimeUnit.SECONDS);
            // Linux reports an RST as ECONNRESET, or as EOF when the RST raced the read.
            if ((ev & BevEvent.ERROR) != 0) {
                assertThat(ev).isEqualTo(BevEvent.ERROR | BevEvent.READING);
                assertThat(bev.lastError()).isInstanceOf(IOException.class);
            } else {
                assertThat(ev).isEqualTo(BevEvent.EOF | BevEvent.READING);
            }
            bev.free();
        }
    }

    @Test
    void connectRefusedIsErrorAloneWithCauseAndNoDnsError() throws Exception {
        InetSocketAddress closed;
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(Loopback.anyPort());
            closed = (InetSocketAddress) s.getLocalAddress();
        }
        Bufferevent bev = Bufferevent.socket(lo.base, null, CLOSE);
        CompletableFuture<Integer> event = new CompletableFuture<>();
        bev.setCallbacks(null, null, (b, ev, a) -> event.complete(ev));
        assertThat(bev.connect(closed)).isZero();
        assertThat(event.get(10, TimeUnit.SECONDS)).isEqualTo(BevEvent.ERROR);
        assertThat(bev.lastError()).isInstanceOf(ConnectException.class);
        assertThat(bev.dnsError()).isZero();
        bev.free();
    }

    @Test
    void unresolvableNameIsErrorWithDnsError() throws Exception {
        Bufferevent bev = Bufferevent.socket(lo.base, null, CLOSE);
        CompletableFuture<Integer> event = new CompletableFuture<>();
        bev.setCallbacks(null, null, (b, ev, a) -> event.complete(ev));
        assertThat(bev.connectHostname(null, null, "no-such-host.invalid", 80)).isZero();
        assertThat(event.get(20, TimeUnit.SECONDS)).isEqualTo(BevEvent.ERROR);
        assertThat(bev.dnsError()).isEqualTo(DnsResolver.EAI_NONAME);
        assertThat(bev.lastError()).isInstanceOf(UnknownHostException.class);
        bev.free();
    }

    @Test
    void connectHostnameResolvesThenConnects() throws Exception {
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(Loopback.anyPort());
            int port = ((InetSocketAddress) s.getLocalAddress()).getPort();
            Bufferevent bev = Bufferevent.socket(lo.base, null, CLOSE);
            CompletableFuture<Integer> event = new CompletableFuture<>();
            bev.setCallbacks(null, null, (b, ev, a) -> event.complete(ev));
            bev.write("hi".getBytes());
            DnsResolver fixed = (host, family) -> List.of(InetAddress.getLoopbackAddress());
            assertThat(bev.connectHostname(fixed, null, "echo.test", port)).isZero();
            assertThat(event.get(10, TimeUnit.SECONDS)).isEqualTo(BevEvent.CONNECTED);
            try (SocketChannel accepted = s.accept()) {
                assertThat(new String(Loopback.readFully(accepted, 2))).isEqualTo("hi");
            }
            assertThat(bev.dnsError()).isZero();
            bev.free();
        }
    }

    @Test
    void acceptedSocketNeverGetsConnected() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            List<Integer> events = new CopyOnWriteArrayList<>();
            AtomicInteger reads = new AtomicInteger();
            bev.setCallbacks((b, a) -> reads.incrementAndGet(), null, (b, ev, a) -> events.add(ev));
            bev.enable(EnumSet.allOf(Direction.class));
            Loopback.writeFully(p.peer(), bytes(10));
            Loopback.await("the read callback", () -> reads.get() > 0);
            assertThat(events).isEmpty();
            bev.free();
        }
    }

    // ---- lifetime ------------------------------------------------------------------------------

    @Test
    void freeDropsPendingOutputClosesAndRunsNoMoreCallbacks() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            AtomicInteger callbacks = new AtomicInteger();
            bev.setCallbacks((b, a) -> callbacks.incrementAndGet(), (b, a) -> callbacks.incrementAndGet(),
                    (b, ev, a) -> callbacks.incrementAndGet());
            bev.enable(Direction.READ);
            int total = 24 << 20;
            lo.call(() -> {
                bev.write(bytes(total));
                bev.free();
                return null;
            });
            assertThat(bev.channel().isOpen()).isFalse();
            long got = 0;
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            try {
                int n;
                while ((n = p.peer().read(buf.clear())) >= 0) {
                    got += n;
                }
            } catch (IOException reset) {
                // a reset is how a close with unread data may end
            }
            assertThat(got).isLessThan(total);
            lo.call(() -> null);
            assertThat(callbacks).hasValue(0);
            assertThatThrownBy(() -> bev.enable(Direction.READ)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void freeInsideReadCallbackStopsTheOtherCallbacks() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            AtomicInteger events = new AtomicInteger();
            bev.setCallbacks((b, a) -> b.free(), null, (b, ev, a) -> events.incrementAndGet());
            bev.enable(Direction.READ);
            Loopback.writeFully(p.peer(), bytes(10));
            p.peer().shutdownOutput();
            Loopback.await("the close", () -> !bev.channel().isOpen());
            lo.call(() -> null);
            assertThat(events).hasValue(0);
        }
    }

    @Test
    void closeAfterFlushSendsEverythingThenCloses() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            byte[] data = bytes(3 << 20);
            bev.write(data);
            bev.closeAfterFlush();
            assertThat(Loopback.readFully(p.peer(), data.length)).isEqualTo(data);
            assertThat(p.peer().read(ByteBuffer.allocate(1))).isEqualTo(-1);
        }
    }

    @Test
    void increfKeepsTheBuffereventUntilDecref() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            bev.incref();
            bev.free();
            assertThat(bev.channel().isOpen()).isTrue();
            assertThat(bev.decref()).isEqualTo(1);
            assertThat(bev.channel().isOpen()).isFalse();
        }
    }

    // ---- triggers and deferred callbacks -------------------------------------------------------

    @Test
    void deferredCallbacksRunAfterTheCallerInLibeventOrder() throws Exception {
        try (Loopback.Pair p = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE, BevOption.DEFER_CALLBACKS))) {
            Bufferevent bev = p.bev();
            List<String> order = new CopyOnWriteArrayList<>();
            bev.setCallbacks((b, a) -> order.add("read"), (b, a) -> order.add("write"),
                    (b, ev, a) -> order.add(BevEvent.toString(ev)));
            List<String> duringCall = lo.call(() -> {
                bev.triggerEvent(BevEvent.EOF | BevEvent.READING, EnumSet.noneOf(TriggerOption.class));
                bev.trigger(EnumSet.allOf(Direction.class), EnumSet.of(TriggerOption.IGNORE_WATERMARKS));
                bev.triggerEvent(BevEvent.CONNECTED, EnumSet.noneOf(TriggerOption.class));
                bev.triggerEvent(BevEvent.ERROR | BevEvent.WRITING, EnumSet.noneOf(TriggerOption.class));
                return List.copyOf(order);
            });
            assertThat(duringCall).isEmpty();
            Loopback.await("the deferred callbacks", () -> order.size() == 4);
            assertThat(order).containsExactly("CONNECTED", "read", "write", "EOF|ERROR|READING|WRITING");
            bev.free();
        }
    }

    @Test
    void triggerOnTheCallbackThreadRunsAtOnceUnlessDeferred() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            List<String> order = new CopyOnWriteArrayList<>();
            bev.setCallbacks((b, a) -> order.add("read"), (b, a) -> order.add("write"), null);
            bev.setWatermark(Direction.READ, 10, 0);
            List<String> duringCall = lo.call(() -> {
                bev.trigger(EnumSet.of(Direction.READ), EnumSet.noneOf(TriggerOption.class)); // below low: nothing
                bev.trigger(EnumSet.of(Direction.WRITE), EnumSet.noneOf(TriggerOption.class));
                bev.trigger(EnumSet.of(Direction.READ), EnumSet.of(TriggerOption.IGNORE_WATERMARKS, TriggerOption.DEFER_CALLBACKS));
                return List.copyOf(order);
            });
            assertThat(duringCall).containsExactly("write");
            Loopback.await("the deferred read", () -> order.size() == 2);
            assertThat(order).containsExactly("write", "read");
            bev.free();
        }
    }

    @Test
    void disabledReadingKeepsBytesOutOfTheInputUntilEnabled() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            AtomicInteger reads = new AtomicInteger();
            bev.setCallbacks((b, a) -> reads.incrementAndGet(), null, null);
            bev.enable(Direction.READ);
            bev.disable(Direction.READ);
            Loopback.writeFully(p.peer(), bytes(50));
            lo.call(() -> null);
            assertThat(bev.input().length()).isZero();
            bev.enable(Direction.READ);
            Loopback.await("the bytes", () -> bev.input().length() == 50);
            Loopback.await("the read callback", () -> reads.get() > 0);
            bev.free();
        }
    }

    @Test
    void userCannotAddToInputOrRemoveFromOutput() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            assertThatThrownBy(() -> bev.input().add(new byte[1])).isInstanceOf(IllegalStateException.class);
            bev.disable(Direction.WRITE);
            bev.write(new byte[3]);
            assertThatThrownBy(() -> bev.output().drain(1)).isInstanceOf(IllegalStateException.class);
            assertThat(bev.output().length()).isEqualTo(3);
            bev.free();
        }
    }
}
