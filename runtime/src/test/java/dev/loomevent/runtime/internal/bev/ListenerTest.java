package dev.loomevent.runtime.internal.bev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.EventBaseGroup;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The connection listener: libevent's listener.c (test/regress_listener.c in spirit). */
@Timeout(30)
class ListenerTest {
    private Loopback lo;
    private final List<SocketChannel> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        lo = new Loopback("listener-test");
    }

    @AfterEach
    void stop() throws IOException {
        for (SocketChannel c : clients) {
            c.close();
        }
        lo.close();
    }

    private SocketChannel client(SocketAddress a) {
        SocketChannel c = Loopback.connect(a);
        clients.add(c);
        return c;
    }

    private static SocketChannel poll(BlockingQueue<SocketChannel> q) throws InterruptedException {
        return q.poll(10, TimeUnit.SECONDS);
    }

    @Test
    void acceptsOnTheCallbackThreadWithPeerAddress() throws Exception {
        Thread callbackThread = lo.call(Thread::currentThread);
        BlockingQueue<Object[]> got = new LinkedBlockingQueue<>();
        Listener l = Listener.bind(lo.base, (lis, ch, peer, arg) -> got.add(new Object[] {ch, peer, arg,
                Thread.currentThread(), EventBase.current(), ch.isBlocking()}),
                "the-arg", EnumSet.of(ListenerOption.CLOSE_ON_FREE), -1, Loopback.anyPort());
        SocketChannel c = client(l.localAddress());
        Object[] a = got.poll(10, TimeUnit.SECONDS);
        assertThat(a).isNotNull();
        ((SocketChannel) a[0]).close();
        assertThat(a[1]).isEqualTo(c.getLocalAddress());
        assertThat(a[2]).isEqualTo("the-arg");
        assertThat(a[3]).isSameAs(callbackThread);
        assertThat(a[4]).isSameAs(lo.base);
        assertThat(a[5]).isEqualTo(true);
        assertThat(l.stats().accepted()).isEqualTo(1);
        assertThat(l.base()).isSameAs(lo.base);
        l.free();
        assertThat(l.channel().isOpen()).isFalse();
    }

    @Test
    void disabledListenerLeavesConnectionsWaitingUntilEnabled() throws Exception {
        BlockingQueue<SocketChannel> got = new LinkedBlockingQueue<>();
        Listener l = Listener.bind(lo.base, (lis, ch, peer, arg) -> got.add(ch), null,
                EnumSet.of(ListenerOption.CLOSE_ON_FREE, ListenerOption.DISABLED), 16, Loopback.anyPort());
        assertThat(l.isEnabled()).isFalse();
        client(l.localAddress());
        lo.call(() -> null);
        assertThat(got).isEmpty();
        l.enable();
        poll(got).close();
        l.free();
    }

    @Test
    void disableInsideTheCallbackStopsAcceptingUntilEnable() throws Exception {
        BlockingQueue<SocketChannel> got = new LinkedBlockingQueue<>();
        Listener l = lo.listen((lis, ch, peer, arg) -> {
            got.add(ch);
            lis.disable();
        });
        client(l.localAddress());
        poll(got).close();
        client(l.localAddress());
        lo.call(() -> null);
        assertThat(got).isEmpty();
        l.enable();
        poll(got).close();
        l.free();
    }

    @Test
    void setCallbackReplacesTheCallback() throws Exception {
        BlockingQueue<SocketChannel> first = new LinkedBlockingQueue<>();
        BlockingQueue<SocketChannel> second = new LinkedBlockingQueue<>();
        Listener l = lo.listen((lis, ch, peer, arg) -> first.add(ch));
        client(l.localAddress());
        poll(first).close();
        l.setCallback((lis, ch, peer, arg) -> second.add(ch), null);
        client(l.localAddress());
        poll(second).close();
        assertThat(first).isEmpty();
        l.free();
    }

    /**
     * libevent's evconnlistener_set_cb and listener_read_cb: an enabled listener whose callback is
     * cleared goes on accepting and closes each connection; one enabled without a callback does not
     * accept until a callback is set.
     */
    @Test
    void aClearedCallbackClosesConnectionsButAMissingOneLeavesThemWaiting() throws Exception {
        BlockingQueue<SocketChannel> got = new LinkedBlockingQueue<>();
        Listener l = lo.listen((lis, ch, peer, arg) -> got.add(ch));
        client(l.localAddress());
        poll(got).close();
        l.setCallback(null, null);
        SocketChannel rejected = client(l.localAddress());
        rejected.socket().setSoTimeout(10_000);
        assertThat(rejected.socket().getInputStream().read()).as("the listener closed it").isEqualTo(-1);
        assertThat(got).isEmpty();
        l.free();

        Listener waiting = Listener.bind(lo.base, null, null, EnumSet.of(ListenerOption.CLOSE_ON_FREE), 16,
                Loopback.anyPort());
        assertThat(waiting.isEnabled()).isTrue();
        SocketChannel queued = client(waiting.localAddress());
        queued.write(java.nio.ByteBuffer.wrap(new byte[] {42}));
        lo.call(() -> null);
        waiting.setCallback((lis, ch, peer, arg) -> got.add(ch), null);
        SocketChannel accepted = poll(got);
        assertThat(accepted).as("the connection waited in the backlog").isNotNull();
        java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
        assertThat(accepted.read(one)).isEqualTo(1);
        assertThat(one.get(0)).isEqualTo((byte) 42);
        accepted.close();
        waiting.free();
    }

    @Test
    void freeInsideTheCallbackClosesTheServerSocket() throws Exception {
        BlockingQueue<SocketChannel> got = new LinkedBlockingQueue<>();
        Listener l = lo.listen((lis, ch, peer, arg) -> {
            got.add(ch);
            lis.free();
        });
        SocketAddress a = l.localAddress();
        client(a);
        poll(got).close();
        Loopback.await("the server socket to close", () -> !l.channel().isOpen());
        assertThatThrownBy(() -> SocketChannel.open(a).close()).isInstanceOf(ConnectException.class);
        assertThatThrownBy(l::enable).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bindRejectsZeroBacklogAndAPortInUse() throws Exception {
        assertThatThrownBy(() -> Listener.bind(lo.base, (a, b, c, d) -> { }, null, Set.of(), 0, Loopback.anyPort()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backlog");
        Listener l = lo.listen((lis, ch, peer, arg) -> { });
        assertThatThrownBy(() -> Listener.bind(lo.base, (a, b, c, d) -> { }, null, Set.of(), -1, l.localAddress()))
                .isInstanceOf(java.io.UncheckedIOException.class);
        l.free();
    }

    @Test
    void groupListenerRunsEachCallbackOnTheChosenBase() throws Exception {
        try (EventBaseGroup group = EventBaseGroup.create(2, EventBaseConfig.DEFAULT.withName("lg"))) {
            List<Boolean> onOwnThread = new CopyOnWriteArrayList<>();
            List<EventBase> bases = new CopyOnWriteArrayList<>();
            BlockingQueue<SocketChannel> got = new LinkedBlockingQueue<>();
            Listener l = Listener.bind(group, EventBaseGroup.Distribution.ROUND_ROBIN, (lis, ch, peer, arg) -> {
                EventBase current = EventBase.current();
                bases.add(current);
                onOwnThread.add(current != null && current.inCallbackThread());
                got.add(ch);
            }, null, EnumSet.of(ListenerOption.CLOSE_ON_FREE), -1, Loopback.anyPort());
            for (int i = 0; i < 4; i++) {
                client(l.localAddress());
                poll(got).close();
            }
            assertThat(onOwnThread).containsOnly(true);
            assertThat(bases).containsExactlyInAnyOrderElementsOf(List.of(group.bases().get(0), group.bases().get(1),
                    group.bases().get(0), group.bases().get(1)));
            l.free();
        }
    }

    /**
     * Runs the process out of descriptors (its soft limit lowered with prlimit for the duration,
     * then restored), so that accept fails with EMFILE; once descriptors are freed the same
     * listener accepts the waiting connection.
     */
    @Test
    void listenerAtEmfileReportsAndRecovers() throws Exception {
        long[] limits = openFileLimits();
        BlockingQueue<SocketChannel> got = new LinkedBlockingQueue<>();
        BlockingQueue<Exception> errors = new LinkedBlockingQueue<>();
        Listener l = lo.listen((lis, ch, peer, arg) -> got.add(ch));
        l.setErrorCallback((lis, e, arg) -> errors.add(e));
        // Client sockets are opened before the limit drops; connecting one needs no descriptor.
        List<SocketChannel> spare = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            spare.add(SocketChannel.open());
        }
        clients.addAll(spare);
        int open = new File("/proc/self/fd").list().length;
        prlimit(open + 32, limits[1]);
        List<FileChannel> fillers = new ArrayList<>();
        try {
            Exception error = null;
            // Another thread of the JVM may free a descriptor at the wrong moment and let an accept
            // through: then close that connection, fill again and retry with the next client.
            for (int attempt = 0; attempt < spare.size() && error == null; attempt++) {
                fill(fillers);
                spare.get(attempt).connect(l.localAddress());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (error == null && got.isEmpty() && System.nanoTime() < deadline) {
                    error = errors.poll(10, TimeUnit.MILLISECONDS);
                }
                SocketChannel through = got.poll();
                if (through != null) {
                    through.close();
                }
            }
            assertThat(error).as("accept error reported").isNotNull();
            assertThat(error.getMessage()).containsIgnoringCase("too many open files");
        } finally {
            for (FileChannel f : fillers) {
                f.close();
            }
            prlimit(limits[0], limits[1]);
        }
        poll(got).close();
        assertThat(l.stats().acceptErrors()).isPositive();
        l.free();
    }

    /** Opens /dev/null until the descriptor table is full. */
    private static void fill(List<FileChannel> fillers) {
        Path devNull = Path.of("/dev/null");
        try {
            while (fillers.size() < 1000) {
                fillers.add(FileChannel.open(devNull));
            }
        } catch (IOException exhausted) {
            return;
        }
        throw new AssertionError("the lowered limit did not stop 1000 opens");
    }

    private static long[] openFileLimits() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
            }
        }
        throw new IllegalStateException("no open-file limit in /proc/self/limits");
    }

    private static void prlimit(long soft, long hard) throws Exception {
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(ProcessHandle.current().pid()),
                "--nofile=" + soft + ":" + hard).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("prlimit: %s", out).isZero();
    }
}
