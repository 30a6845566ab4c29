package dev.loomevent.runtime.internal.bev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.DnsResolver;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** setChannel, priorities, wrap, the system resolver, and freeing with the base. */
@Timeout(30)
class SocketTransportTest {

    @Test
    void setChannelMovesReadingAndWritingToTheNewChannel() throws Exception {
        try (Loopback lo = new Loopback("setfd"); Loopback.Pair a = lo.pair(EnumSet.noneOf(BevOption.class));
             Loopback.Pair b = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE))) {
            Bufferevent bev = a.bev();
            List<String> reads = new CopyOnWriteArrayList<>();
            bev.setCallbacks((x, arg) -> {
                byte[] in = new byte[(int) x.input().length()];
                x.read(in, 0, in.length);
                reads.add(new String(in));
            }, null, null);
            bev.enable(Direction.READ);
            SocketChannel second = b.bev().channel();
            b.bev().setChannel(null);
            b.bev().free();
            assertThat(lo.call(() -> bev.setChannel(second))).isZero();
            assertThat(bev.channel()).isSameAs(second);
            Loopback.writeFully(b.peer(), "to the new one".getBytes());
            Loopback.await("the read on the new channel", () -> String.join("", reads).equals("to the new one"));
            bev.write("back".getBytes());
            assertThat(new String(Loopback.readFully(b.peer(), 4))).isEqualTo("back");
            bev.free();
            second.close();
        }
    }

    @Test
    void priorityCanBeSetWithinTheBasesRange() throws Exception {
        try (Loopback lo = new Loopback("prio"); Loopback.Pair p = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE))) {
            Bufferevent bev = p.bev();
            int n = lo.base.priorities();
            assertThat(bev.setPriority(n - 1)).isZero();
            assertThat(bev.priority()).isEqualTo(n - 1);
            assertThat(bev.setPriority(n)).isEqualTo(-1);
            assertThat(bev.setPriority(-1)).isEqualTo(-1);
            assertThat(bev.priority()).isEqualTo(n - 1);
            bev.free();
        }
    }

    @Test
    void wrapAcceptsOnABoundChannelAndCountsTheConnection() throws Exception {
        try (Loopback lo = new Loopback("wrap")) {
            ServerSocketChannel server = ServerSocketChannel.open().bind(Loopback.anyPort());
            BlockingQueue<Bufferevent> got = new LinkedBlockingQueue<>();
            Listener l = Listener.wrap(lo.base, server, (lis, ch, peer, arg) -> {
                Bufferevent bev = Bufferevent.socket(lo.base, ch, EnumSet.of(BevOption.CLOSE_ON_FREE));
                bev.setCallbacks((x, a) -> x.output().addBuffer(x.input()), null, null);
                bev.enable(Direction.READ);
                got.add(bev);
            }, null, EnumSet.noneOf(ListenerOption.class), 0);
            try (SocketChannel c = Loopback.connect(l.localAddress())) {
                Loopback.writeFully(c, "ping".getBytes());
                assertThat(new String(Loopback.readFully(c, 4))).isEqualTo("ping");
                Bufferevent bev = got.poll(10, TimeUnit.SECONDS);
                assertThat(l.stats().bytesRead()).isEqualTo(4);
                Loopback.await("the write counted", () -> l.stats().bytesWritten() == 4);
                lo.call(() -> {
                    bev.free();
                    return null;
                });
                assertThat(l.stats().connectionsClosed()).isEqualTo(1);
            }
            l.free();
            assertThat(server.isOpen()).as("no CLOSE_ON_FREE: the caller's socket stays open").isTrue();
            server.close();
        }
    }

    @Test
    void systemResolverFiltersByFamily() throws Exception {
        List<InetAddress> v4 = DnsResolver.system().resolve("localhost", StandardProtocolFamily.INET);
        assertThat(v4).isNotEmpty().allSatisfy(a -> assertThat(a).isInstanceOf(Inet4Address.class));
    }

    @Test
    void freeingTheBaseFreesItsBuffereventsAndListeners() throws Exception {
        Loopback lo = new Loopback("base-free");
        Loopback.Pair p = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE));
        Listener l = lo.listen((lis, ch, peer, arg) -> { });
        lo.close();
        assertThat(p.bev().channel().isOpen()).isFalse();
        assertThat(l.channel().isOpen()).isFalse();
        p.close();
    }

    @Test
    void callbacksSetAfterConnectOnTheCallbackThreadStillSeeConnected() throws Exception {
        try (Loopback lo = new Loopback("late-cb"); ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(Loopback.anyPort());
            BlockingQueue<Integer> events = new LinkedBlockingQueue<>();
            Bufferevent bev = lo.call(() -> {
                Bufferevent b = Bufferevent.socket(lo.base, null, EnumSet.of(BevOption.CLOSE_ON_FREE));
                b.connect(s.getLocalAddress());
                try (SocketChannel accepted = s.accept()) {
                    // The connect finished while this callback runs; libevent would still deliver.
                    b.setCallbacks(null, null, (x, ev, a) -> events.add(ev));
                }
                return b;
            });
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo(dev.loomevent.api.BevEvent.CONNECTED);
            bev.free();
        }
    }

    @Test
    void writeThenSetWriteCallbackInOneCallbackStillGetsTheDrain() throws Exception {
        try (Loopback lo = new Loopback("late-write-cb"); Loopback.Pair p = lo.pair(EnumSet.of(BevOption.CLOSE_ON_FREE))) {
            Bufferevent bev = p.bev();
            BlockingQueue<Long> drained = new LinkedBlockingQueue<>();
            lo.call(() -> {
                bev.setCallbacks(null, null, null);
                bev.write("BYE\n".getBytes());
                // The writer thread drains the output while this callback still runs.
                Loopback.await("the writer to drain", () -> bev.output().isEmpty());
                bev.setCallbacks(null, (b, a) -> drained.add(b.output().length()), null);
                return null;
            });
            assertThat(drained.poll(10, TimeUnit.SECONDS)).isZero();
            assertThat(new String(Loopback.readFully(p.peer(), 4))).isEqualTo("BYE\n");
            bev.free();
        }
    }

    @Test
    void bytesTakenByAReaderFreedWithoutCloseReachTheChannelsNextBufferevent() throws Exception {
        try (Loopback lo = new Loopback("leftovers"); Loopback.Pair p = lo.pair(EnumSet.noneOf(BevOption.class))) {
            Bufferevent first = p.bev();
            first.enable(Direction.READ);
            Loopback.writeFully(p.peer(), "a".getBytes());
            Loopback.await("the first byte", () -> first.input().length() == 1);
            // The reader is blocked in its next read now; freeing cannot interrupt it.
            SocketChannel ch = first.channel();
            first.free();
            assertThat(ch.isOpen()).isTrue();
            Loopback.writeFully(p.peer(), "bc".getBytes());
            // Only the old reader reads the channel now: it wakes with "bc" and leaves them behind.
            Loopback.await("the freed reader to leave its bytes behind", () -> ReadHandover.has(ch));
            Bufferevent second = Bufferevent.socket(lo.base, ch, EnumSet.of(BevOption.CLOSE_ON_FREE));
            second.enable(Direction.READ);
            Loopback.await("the left-over bytes in the new input", () -> second.input().length() == 2);
            Loopback.writeFully(p.peer(), "d".getBytes());
            Loopback.await("the bytes in the new input", () -> second.input().length() == 3);
            byte[] got = new byte[3];
            second.read(got, 0, 3);
            assertThat(new String(got)).isEqualTo("bcd");
            second.free();
        }
    }
}
