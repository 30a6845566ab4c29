package dev.loomevent.runtime.internal.bev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import java.lang.reflect.Field;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Handing the reading of a channel from one socket bufferevent's reader to the next (ReadHandover). */
@Timeout(60)
class ReadHandoverTest {

    private static Thread readerOf(Bufferevent bev) {
        return ((SocketOps) ((BuffereventCore) bev).ops()).readerThread();
    }

    /**
     * Enables reading on {@code p}'s bufferevent and waits for one byte from the peer, so that its
     * reader is blocked in its next read; returns the channel.
     */
    private static SocketChannel readerInARead(Loopback.Pair p) throws Exception {
        Bufferevent bev = p.bev();
        bev.enable(Direction.READ);
        Loopback.writeFully(p.peer(), "a".getBytes());
        Loopback.await("the first byte", () -> bev.input().length() == 1);
        return bev.channel();
    }

    /** Enables reading on {@code bev} and waits until its reader is parked (waiting its turn). */
    private static Thread readingAndWaiting(Bufferevent bev) {
        bev.enable(Direction.READ);
        Thread reader = readerOf(bev);
        Loopback.await("the new reader to wait", () -> reader.getState() == Thread.State.WAITING);
        return reader;
    }

    /** Frees {@code bev} on the base's callback thread and waits for it. */
    private static void freeOnLoop(Loopback lo, Bufferevent bev) throws Exception {
        lo.call(() -> {
            bev.free();
            return null;
        });
    }

    /**
     * A second bufferevent on {@code ch} starts reading (its reader queues behind the live one's
     * read) and is freed at once: its reader turns stale behind the live one. Returns that reader.
     */
    private static Thread youngerStaleReader(Loopback lo, SocketChannel ch) throws Exception {
        Bufferevent second = Bufferevent.socket(lo.base, ch, EnumSet.noneOf(BevOption.class));
        Thread younger = readingAndWaiting(second);
        freeOnLoop(lo, second);
        return younger;
    }

    /** Frees the live bufferevent, closes the peer so that stale readers wake and end, then the channel. */
    private static void endAll(Loopback lo, Bufferevent live, Loopback.Pair p, SocketChannel ch) throws Exception {
        freeOnLoop(lo, live);
        p.peer().close();
        Loopback.await("the stale readers to end", () -> !ReadHandover.hasStale(ch));
        ch.close();
    }

    private static String drain(Bufferevent bev) {
        byte[] got = new byte[(int) bev.input().length()];
        bev.read(got, 0, got.length);
        return new String(got);
    }

    /**
     * A CLOSE_ON_FREE bufferevent lets go of channel A with setChannel (which never closes it); its
     * old reader is still in a read of A. Freeing the bufferevent then closes its current channel,
     * not A: the bytes that old reader wakes with belong to A's next bufferevent.
     */
    @Test
    void bytesOfAChannelReplacedBeforeACloseOnFreeFreeReachItsNextBufferevent() throws Exception {
        try (Loopback lo = new Loopback("handover-cof"); Loopback.Pair p = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE))) {
            Bufferevent first = p.bev();
            SocketChannel a = readerInARead(p);
            assertThat(first.setChannel(null)).isZero(); // the old reader stays in a read of a
            assertThat(ReadHandover.hasStale(a)).isTrue();
            first.free(); // closes its channel (none now), not a
            assertThat(a.isOpen()).isTrue();
            Bufferevent second = Bufferevent.socket(lo.base, a, EnumSet.of(BevOption.CLOSE_ON_FREE));
            Thread reader = readingAndWaiting(second);
            Loopback.writeFully(p.peer(), "bc".getBytes());
            Loopback.await("bc in the new input", () -> second.input().length() == 2);
            Loopback.writeFully(p.peer(), "d".getBytes());
            Loopback.await("d in the new input", () -> second.input().length() == 3);
            assertThat(drain(second)).isEqualTo("bcd");
            assertThat(ReadHandover.hasStale(a)).isFalse();
            second.free();
        }
    }

    /**
     * A reader of a freed bufferevent that stays in a read of an idle channel (the usual fate of a
     * free() without CLOSE_ON_FREE on a quiet connection) must not put the handover's global lock
     * on every other connection's messages: another connection's bytes arrive while that lock is
     * held.
     */
    @Test
    void anIdleStaleReaderDoesNotPutTheGlobalLockOnOtherConnectionsMessages() throws Exception {
        try (Loopback lo = new Loopback("handover-idle"); Loopback.Pair idle = lo.pair(EnumSet.noneOf(BevOption.class));
             Loopback.Pair busy = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE))) {
            Bufferevent first = idle.bev();
            SocketChannel ch = readerInARead(idle);
            first.free(); // its reader stays in a read of ch: the peer sends nothing more
            assertThat(ReadHandover.hasStale(ch)).isTrue();

            Bufferevent other = busy.bev();
            other.enable(Direction.READ);
            Loopback.writeFully(busy.peer(), "x".getBytes());
            Loopback.await("x", () -> other.input().length() == 1);
            Field f = ReadHandover.class.getDeclaredField("LOCK");
            f.setAccessible(true);
            ReentrantLock lock = (ReentrantLock) f.get(null);
            lock.lock();
            try {
                Loopback.writeFully(busy.peer(), "y".getBytes());
                Loopback.await("y on the unrelated connection while the handover lock is held",
                        () -> other.input().length() == 2);
            } finally {
                lock.unlock();
            }
            assertThat(drain(other)).isEqualTo("xy");
            freeOnLoop(lo, other);
            idle.peer().close(); // the stale reader wakes with EOF and ends
            Loopback.await("the stale reader to end", () -> !ReadHandover.hasStale(ch));
            ch.close();
        }
    }

    /** setChannel(A -> B -> A) on one bufferevent: A's old reader hands its bytes to A's new reader. */
    @Test
    void setChannelAwayAndBackKeepsTheBytesInOrder() throws Exception {
        try (Loopback lo = new Loopback("handover-aba"); Loopback.Pair a = lo.pair(EnumSet.noneOf(BevOption.class));
             Loopback.Pair b = lo.pair(EnumSet.noneOf(BevOption.class))) {
            Bufferevent bev = a.bev();
            bev.enable(Direction.READ);
            Loopback.writeFully(a.peer(), "1".getBytes());
            Loopback.await("1", () -> bev.input().length() == 1);
            SocketChannel chA = bev.channel();
            SocketChannel chB = b.bev().channel();
            b.bev().free();
            assertThat(bev.setChannel(chB)).isZero();
            assertThat(bev.setChannel(chA)).isZero();
            Thread reader = readerOf(bev);
            Loopback.await("the new reader to wait", () -> reader.getState() == Thread.State.WAITING);
            Loopback.writeFully(a.peer(), "23".getBytes());
            Loopback.await("23", () -> bev.input().length() == 3);
            Loopback.writeFully(a.peer(), "4".getBytes());
            Loopback.await("4", () -> bev.input().length() == 4);
            assertThat(drain(bev)).isEqualTo("1234");
            assertThat(ReadHandover.hasStale(chA)).isFalse();
            freeOnLoop(lo, bev);
            b.peer().close();
            Loopback.await("B's stale reader to end", () -> !ReadHandover.hasStale(chB));
            chA.close();
            chB.close();
        }
    }

    /** The new bufferevent is freed (CLOSE_ON_FREE) while its reader waits its turn: nothing is left behind. */
    @Test
    void freeWhileTheNewReaderWaitsItsTurnLeavesNoEntry() throws Exception {
        try (Loopback lo = new Loopback("handover-free-waiting"); Loopback.Pair p = lo.pair(EnumSet.noneOf(BevOption.class))) {
            Bufferevent first = p.bev();
            SocketChannel ch = readerInARead(p);
            first.free();
            Bufferevent second = Bufferevent.socket(lo.base, ch, EnumSet.of(BevOption.CLOSE_ON_FREE));
            Thread reader = readingAndWaiting(second);
            freeOnLoop(lo, second);
            Loopback.await("the waiting reader to end", () -> !reader.isAlive());
            assertThat(ch.isOpen()).isFalse();
            Loopback.await("the old reader to end", () -> !ReadHandover.hasStale(ch));
            assertThat(ReadHandover.has(ch)).isFalse();
        }
    }

    /** The peer half-closes while the new reader waits its turn: the new bufferevent sees EOF. */
    @Test
    void eofWhileHandingOverReachesTheNewBufferevent() throws Exception {
        try (Loopback lo = new Loopback("handover-eof"); Loopback.Pair p = lo.pair(EnumSet.noneOf(BevOption.class))) {
            Bufferevent first = p.bev();
            SocketChannel ch = readerInARead(p);
            first.free();
            Bufferevent second = Bufferevent.socket(lo.base, ch, EnumSet.of(BevOption.CLOSE_ON_FREE));
            java.util.concurrent.CompletableFuture<Integer> events = new java.util.concurrent.CompletableFuture<>();
            second.setCallbacks(null, null, (b, ev, arg) -> events.complete(ev));
            Thread reader = readingAndWaiting(second);
            Loopback.writeFully(p.peer(), "bc".getBytes());
            p.peer().shutdownOutput();
            int ev = events.get(15, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(ev).isEqualTo(dev.loomevent.api.BevEvent.EOF | dev.loomevent.api.BevEvent.READING);
            assertThat(drain(second)).isEqualTo("bc");
            assertThat(ReadHandover.hasStale(ch)).isFalse();
            assertThat(ReadHandover.has(ch)).isFalse();
            freeOnLoop(lo, second);
        }
    }

    /** The user closes the channel while the new reader waits its turn: both readers end, nothing is left. */
    @Test
    void closingTheChannelWhileHandingOverEndsBothReaders() throws Exception {
        try (Loopback lo = new Loopback("handover-close"); Loopback.Pair p = lo.pair(EnumSet.noneOf(BevOption.class))) {
            Bufferevent first = p.bev();
            SocketChannel ch = readerInARead(p);
            Thread old = readerOf(first);
            first.free();
            Bufferevent second = Bufferevent.socket(lo.base, ch, EnumSet.noneOf(BevOption.class));
            java.util.concurrent.CompletableFuture<Integer> events = new java.util.concurrent.CompletableFuture<>();
            second.setCallbacks(null, null, (b, ev, arg) -> events.complete(ev));
            Thread reader = readingAndWaiting(second);
            ch.close();
            int ev = events.get(15, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(ev & dev.loomevent.api.BevEvent.ERROR).isNotZero();
            Loopback.await("the old reader to end", () -> !old.isAlive());
            assertThat(ReadHandover.hasStale(ch)).isFalse();
            assertThat(ReadHandover.has(ch)).isFalse();
            freeOnLoop(lo, second);
        }
    }

    @Test
    void bytesAFreedReaderWakesWithReachTheNextBuffereventWithoutWaitingForMore() throws Exception {
        try (Loopback lo = new Loopback("handover"); Loopback.Pair p = lo.pair(EnumSet.noneOf(BevOption.class))) {
            Bufferevent first = p.bev();
            SocketChannel ch = readerInARead(p);
            first.free(); // its reader stays blocked in a read of ch
            Bufferevent second = Bufferevent.socket(lo.base, ch, EnumSet.of(BevOption.CLOSE_ON_FREE));
            readingAndWaiting(second);
            // The old reader wakes with these and leaves them; the new one must see them now, not
            // with the next bytes the peer sends (which this peer never does).
            Loopback.writeFully(p.peer(), "bc".getBytes());
            Loopback.await("the left-over bytes in the new input", () -> second.input().length() == 2);
            assertThat(ReadHandover.hasStale(ch)).isFalse();
            Loopback.writeFully(p.peer(), "d".getBytes());
            Loopback.await("the next byte", () -> second.input().length() == 3);
            byte[] got = new byte[3];
            second.read(got, 0, 3);
            assertThat(new String(got)).isEqualTo("bcd");
            second.free();
        }
    }

    @Test
    void anErrorAFreedReaderWakesWithReachesTheNextBuffereventAfterItsBytes() throws Exception {
        try (Loopback lo = new Loopback("handover-error"); Loopback.Pair p = lo.pair(EnumSet.noneOf(BevOption.class))) {
            Bufferevent first = p.bev();
            SocketChannel ch = readerInARead(p);
            first.free();
            Bufferevent second = Bufferevent.socket(lo.base, ch, EnumSet.of(BevOption.CLOSE_ON_FREE));
            java.util.concurrent.CompletableFuture<Integer> events = new java.util.concurrent.CompletableFuture<>();
            second.setCallbacks(null, null, (b, ev, arg) -> events.complete(ev));
            readingAndWaiting(second);
            // A reset: the old reader's read fails, and only that read sees ECONNRESET.
            p.peer().setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
            p.peer().close();
            int ev = events.get(15, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(ev).isEqualTo(dev.loomevent.api.BevEvent.ERROR | dev.loomevent.api.BevEvent.READING);
            assertThat(second.lastError()).isInstanceOf(java.io.IOException.class);
            freeOnLoop(lo, second);
        }
    }

    /**
     * A second bufferevent on the channel starts reading (its reader queues behind the first's
     * read) and is freed at once, leaving its reader stale behind the live one. The live reader's
     * read wakes with "x": it must deliver it, not wait for the younger stale reader (which is now
     * in a read only the peer's next bytes end), and bytes that younger reader reads later must
     * come after "x".
     */
    @Test
    void aLiveReaderDoesNotWaitForAYoungerStaleReaderBehindIt() throws Exception {
        try (Loopback lo = new Loopback("handover-younger-stale"); Loopback.Pair p = lo.pair(EnumSet.noneOf(BevOption.class))) {
            Bufferevent first = p.bev();
            SocketChannel ch = readerInARead(p);
            youngerStaleReader(lo, ch);
            assertThat(ReadHandover.hasStale(ch)).isTrue();
            Loopback.writeFully(p.peer(), "x".getBytes());
            Loopback.await("x in the live input without more bytes from the peer", () -> first.input().length() == 2);
            Loopback.writeFully(p.peer(), "y".getBytes());
            Loopback.await("y in the live input", () -> first.input().length() == 3);
            assertThat(drain(first)).isEqualTo("axy");
            endAll(lo, first, p, ch);
        }
    }

    /**
     * As above, but the peer's next byte is sent once the live reader's read of "x" has returned:
     * the younger stale reader reads "y" after "x", so "y" must not come before "x".
     */
    @Test
    void bytesAYoungerStaleReaderReadsLaterComeAfterTheLiveReadersBytes() throws Exception {
        try (Loopback lo = new Loopback("handover-younger-order"); Loopback.Pair p = lo.pair(EnumSet.noneOf(BevOption.class))) {
            Bufferevent first = p.bev();
            SocketChannel ch = readerInARead(p);
            Thread live = readerOf(first);
            Thread younger = youngerStaleReader(lo, ch);
            Loopback.writeFully(p.peer(), "x".getBytes());
            // "x" is in the live input, or the live reader's read has returned and it waits in ReadHandover.
            Loopback.await("the live reader past its read of x", () -> first.input().length() == 2
                    || java.util.Arrays.stream(live.getStackTrace()).anyMatch(f -> f.getMethodName().equals("awaitTurn")));
            Loopback.await("the younger reader in its read", () -> younger.getState() == Thread.State.WAITING
                    && java.util.Arrays.stream(younger.getStackTrace()).anyMatch(f -> f.getMethodName().equals("read")
                            && f.getClassName().endsWith("SocketReader")));
            Loopback.writeFully(p.peer(), "y".getBytes());
            Loopback.await("x and y in the live input", () -> first.input().length() == 3);
            assertThat(drain(first)).isEqualTo("axy");
            endAll(lo, first, p, ch);
        }
    }
}
