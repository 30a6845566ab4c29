package dev.loomevent.runtime.internal.bev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.Listener;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Echo through a socket bufferevent whose read callback does {@code output.addBuffer(input)}. */
@Timeout(60)
class SocketEchoTest {

    static Listener echoServer(Loopback lo) {
        return lo.listen((l, ch, peer, arg) -> {
            Bufferevent bev = Bufferevent.socket(lo.base, ch, EnumSet.of(BevOption.CLOSE_ON_FREE));
            bev.setCallbacks((b, a) -> b.output().addBuffer(b.input()), null, (b, events, a) -> {
                if ((events & (BevEvent.EOF | BevEvent.ERROR)) != 0) {
                    b.free();
                }
            });
            bev.enable(Direction.READ);
        });
    }

    @Test
    void echoes100MegabytesIntact() throws Exception {
        long total = 100L << 20;
        try (Loopback lo = new Loopback("echo100"); Listener l = echoServer(lo);
             SocketChannel client = Loopback.connect(l.localAddress())) {
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            CompletableFuture<byte[]> written = CompletableFuture.supplyAsync(() -> {
                try {
                    Random r = new Random(42);
                    byte[] chunk = new byte[65536];
                    long left = total;
                    while (left > 0) {
                        r.nextBytes(chunk);
                        int n = (int) Math.min(chunk.length, left);
                        sent.update(chunk, 0, n);
                        Loopback.writeFully(client, java.util.Arrays.copyOf(chunk, n));
                        left -= n;
                    }
                    return sent.digest();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, r -> Thread.ofPlatform().start(r));
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(65536);
            long read = 0;
            while (read < total) {
                buf.clear();
                int n = client.read(buf);
                assertThat(n).as("bytes before EOF: %d", read).isPositive();
                got.update(buf.array(), 0, n);
                read += n;
            }
            assertThat(got.digest()).isEqualTo(written.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void connectingClientGetsConnectedThenEchoes() throws Exception {
        try (Loopback lo = new Loopback("echo-connect"); Listener l = echoServer(lo)) {
            byte[] msg = new byte[300_000];
            new Random(7).nextBytes(msg);
            CountDownLatch connected = new CountDownLatch(1);
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            AtomicInteger connectedEvents = new AtomicInteger();
            Bufferevent c = Bufferevent.socket(lo.base, null, EnumSet.of(BevOption.CLOSE_ON_FREE));
            c.setCallbacks((b, a) -> {
                if (b.input().length() >= msg.length) {
                    byte[] out = new byte[msg.length];
                    b.read(out, 0, out.length);
                    echoed.complete(out);
                }
            }, null, (b, events, a) -> {
                if (events == BevEvent.CONNECTED) {
                    connectedEvents.incrementAndGet();
                    connected.countDown();
                }
            });
            c.enable(Direction.READ);
            c.write(msg);
            assertThat(c.connect(l.localAddress())).isZero();
            assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(echoed.get(20, TimeUnit.SECONDS)).isEqualTo(msg);
            assertThat(connectedEvents).hasValue(1);
            c.free();
        }
    }
}
