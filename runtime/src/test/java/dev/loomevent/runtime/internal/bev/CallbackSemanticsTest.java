package dev.loomevent.runtime.internal.bev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.TriggerOption;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When libevent 2.1 runs the write callback around connect() and enable(), and what a running
 * callback holds (a reference; the lock for THREADSAFE) — checked against bufferevent_sock.c's
 * {@code bufferevent_writecb} ({@code res || !connected}) and {@code bufferevent_incref_and_lock_}.
 */
@Timeout(30)
class CallbackSemanticsTest {
    private Loopback lo;

    @BeforeEach
    void start() {
        lo = new Loopback("callback-semantics");
    }

    @AfterEach
    void stop() {
        lo.close();
    }

    /** Two empty rounds of the callback thread: whatever was posted before has run. */
    private void settle() throws Exception {
        lo.call(() -> null);
        lo.call(() -> null);
    }

    private void freeOnLoop(Bufferevent bev) throws Exception {
        lo.call(() -> {
            bev.free();
            return null;
        });
    }

    /**
     * libevent's deferred runner (bufferevent_run_deferred_callbacks_*) runs CONNECTED, then the
     * read callback, then the other events. Bytes and an EOF the reader delivers while the
     * CONNECTED callback runs must keep that order: the read callback sees the bytes before the
     * EOF callback (which here drains them) runs.
     */
    @Test
    void withDeferredCallbacksBytesReadDuringConnectedReachTheReadCallbackBeforeEof() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(Loopback.anyPort());
            java.util.List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
            Bufferevent bev = Bufferevent.socket(lo.base, null, EnumSet.of(BevOption.CLOSE_ON_FREE, BevOption.DEFER_CALLBACKS));
            bev.setCallbacks((b, arg) -> order.add("read " + b.input().length()), null, (b, ev, arg) -> {
                order.add(BevEvent.toString(ev));
                if ((ev & BevEvent.CONNECTED) != 0) {
                    // Hold the callback thread until the reader has delivered the bytes and the EOF.
                    Loopback.await("the reader at EOF", () -> b.input().length() == 5 && !b.enabled().contains(Direction.READ));
                }
                if ((ev & BevEvent.EOF) != 0) {
                    b.input().drain(b.input().length());
                }
            });
            bev.enable(Direction.READ);
            assertThat(bev.connect(server.getLocalAddress())).isZero();
            try (java.nio.channels.SocketChannel peer = server.accept()) {
                peer.write(java.nio.ByteBuffer.wrap("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            }
            Loopback.await("EOF delivered", () -> order.stream().anyMatch(e -> e.contains("EOF")));
            settle();
            assertThat(order).containsExactly(BevEvent.toString(BevEvent.CONNECTED), "read 5",
                    BevEvent.toString(BevEvent.EOF | BevEvent.READING));
            freeOnLoop(bev);
        }
    }

    /**
     * libevent's reader_eventcb (regress_bufferevent.c) enables reading when CONNECTED arrives. In
     * libevent that enable comes before the loop ever sees the peer's EOF, so it is a no-op and the
     * EOF disables reading once. Here the reader may reach the EOF while CONNECTED still waits for
     * the callback thread: the enable must not start a second reader that reports EOF again.
     */
    @Test
    void enablingReadInTheConnectedCallbackAfterTheReaderSawEofReportsEofOnce() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(Loopback.anyPort());
            java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch blocked = new java.util.concurrent.CountDownLatch(1);
            lo.base.execute(() -> {
                blocked.countDown();
                try {
                    gate.await(15, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            java.util.List<Integer> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            Bufferevent bev = Bufferevent.socket(lo.base, null, EnumSet.of(BevOption.CLOSE_ON_FREE));
            bev.setCallbacks(null, null, (b, ev, arg) -> {
                events.add(ev);
                if ((ev & BevEvent.CONNECTED) != 0) {
                    b.enable(Direction.READ);
                }
            });
            bev.enable(Direction.READ);
            assertThat(bev.connect(server.getLocalAddress())).isZero();
            try (java.nio.channels.SocketChannel peer = server.accept()) {
                peer.write(java.nio.ByteBuffer.wrap("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            }
            // The reader has read everything and the EOF, and disabled reading, while the
            // callback thread still holds CONNECTED back.
            Loopback.await("the reader at EOF", () -> bev.input().length() == 5 && !bev.enabled().contains(Direction.READ));
            gate.countDown();
            Loopback.await("EOF delivered", () -> events.size() >= 2);
            SocketOps ops = (SocketOps) ((BuffereventCore) bev).ops();
            Loopback.await("no reader left", () -> ops.readerThread() == null);
            settle();
            assertThat(events).containsExactly(BevEvent.CONNECTED, BevEvent.EOF | BevEvent.READING);
            assertThat(bev.enabled()).doesNotContain(Direction.READ);
            assertThat(bev.input().length()).isEqualTo(5);
            freeOnLoop(bev);
        }
    }

    @Test
    void aConnectWithNothingToSendRunsConnectedButNotTheWriteCallback() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(Loopback.anyPort());
            Bufferevent bev = Bufferevent.socket(lo.base, null, EnumSet.of(BevOption.CLOSE_ON_FREE));
            List<String> seen = new CopyOnWriteArrayList<>();
            bev.setCallbacks(null, (b, a) -> seen.add("write"), (b, ev, a) -> seen.add(BevEvent.toString(ev)));
            assertThat(bev.connect(server.getLocalAddress())).isZero();
            try (SocketChannel accepted = server.accept()) {
                Loopback.await("CONNECTED", () -> !seen.isEmpty());
                settle();
                assertThat(seen).containsExactly("CONNECTED");
            }
            freeOnLoop(bev);
        }
    }

    @Test
    void enablingWritingOnAnIdleConnectedSocketRunsTheWriteCallbackOnce() throws Exception {
        try (Loopback.Pair p = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE))) {
            Bufferevent bev = p.bev();
            List<String> seen = new CopyOnWriteArrayList<>();
            bev.setCallbacks(null, (b, a) -> seen.add("write"), null);
            bev.disable(Direction.WRITE);
            settle();
            assertThat(seen).isEmpty();
            lo.call(() -> {
                bev.enable(Direction.WRITE);
                return null;
            });
            settle();
            assertThat(seen).containsExactly("write");
            freeOnLoop(bev);
        }
    }

    @Test
    void aTriggeredCallbackOfAThreadsafeBuffereventRunsWithTheLockHeld() throws Exception {
        try (Loopback.Pair p = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE, BevOption.THREADSAFE))) {
            BuffereventCore core = (BuffereventCore) p.bev();
            List<Boolean> held = new CopyOnWriteArrayList<>();
            core.setCallbacks((b, a) -> held.add(core.lock.isHeldByCurrentThread()), null,
                    (b, ev, a) -> held.add(core.lock.isHeldByCurrentThread()));
            lo.call(() -> {
                core.trigger(EnumSet.of(Direction.READ), EnumSet.of(TriggerOption.IGNORE_WATERMARKS));
                core.triggerEvent(BevEvent.EOF | BevEvent.READING, EnumSet.noneOf(TriggerOption.class));
                return null;
            });
            assertThat(held).containsExactly(true, true);
            freeOnLoop(core);
        }
    }

    @Test
    void freeFromAnotherThreadWaitsForTheRunningCallbackBeforeDestroying() throws Exception {
        try (Loopback.Pair p = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE, BevOption.THREADSAFE,
                BevOption.DEFER_CALLBACKS, BevOption.UNLOCK_CALLBACKS))) {
            Bufferevent bev = p.bev();
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch freed = new CountDownLatch(1);
            CompletableFuture<String> seen = new CompletableFuture<>();
            bev.setCallbacks((b, a) -> {
                long before = b.input().length();
                entered.countDown();
                try {
                    freed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                int n = b.input().remove(new byte[100], 0, 100);
                seen.complete(before + " bytes before, " + n + " removed, channel open " + b.channel().isOpen());
            }, null, null);
            bev.enable(Direction.READ);
            Loopback.writeFully(p.peer(), new byte[10]);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            bev.free(); // from this thread, while the read callback runs
            freed.countDown();
            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("10 bytes before, 10 removed, channel open true");
            // Destroyed once the callback returned: CLOSE_ON_FREE closed the channel then.
            Loopback.await("the channel closed", () -> !bev.channel().isOpen());
        }
    }
}
