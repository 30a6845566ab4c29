package dev.loomevent.runtime.internal.bev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.EventBase;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An accepted connection always ends in the accept callback or closed, whatever races its delivery. */
@Timeout(60)
class ListenerDeliveryTest {
    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** Waits, bounded, until the listener has accepted {@code n} connections in all. */
    private static void awaitAccepted(Listener l, long n) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (l.stats().accepted() < n) {
            assertThat(System.nanoTime() - end).as("accepted %d of %d", l.stats().accepted(), n).isNegative();
            Thread.onSpinWait();
        }
    }

    @Test
    void aConnectionAcceptedButNotYetDeliveredIsClosedWhenTheBaseIsFreed() throws IOException {
        EventBase base = EventBase.create(); // no loop runs: the accept callback stays queued
        AtomicInteger callbacks = new AtomicInteger();
        Listener l = Listener.bind(base, (lis, ch, peer, arg) -> callbacks.incrementAndGet(), null,
                EnumSet.of(ListenerOption.CLOSE_ON_FREE), -1, loopback());
        try (Socket s = new Socket()) {
            s.connect(l.localAddress());
            awaitAccepted(l, 1);
            base.free();
            s.setSoTimeout(10_000);
            // Before the fix the server side stayed open (a leaked descriptor): the read timed out.
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(callbacks).hasValue(0);
    }

    /**
     * enable() from another thread while the callback thread puts connections aside because the
     * listener was disabled: none may stay aside once the listener is enabled.
     */
    @Test
    void enablingFromAnotherThreadNeverStrandsAConnection() throws Exception {
        EventBase base = EventBase.create();
        base.start();
        AtomicReference<CountDownLatch> delivered = new AtomicReference<>();
        Listener l = Listener.bind(base, (lis, ch, peer, arg) -> {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the test only counts
            }
            delivered.get().countDown();
        }, null, EnumSet.of(ListenerOption.CLOSE_ON_FREE), 1024, loopback());
        int k = 16;
        Random rnd = new Random(1);
        try {
            for (int trial = 0; trial < 150; trial++) {
                CountDownLatch all = new CountDownLatch(k);
                delivered.set(all);
                long before = l.stats().accepted();
                CountDownLatch gate = new CountDownLatch(1);
                CountDownLatch blocked = new CountDownLatch(1);
                // Hold the callback thread so the accepts queue up, then release it while another
                // thread flips the listener off and on.
                base.execute(() -> {
                    blocked.countDown();
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
                List<SocketChannel> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < k; i++) {
                        clients.add(SocketChannel.open(l.localAddress()));
                    }
                    awaitAccepted(l, before + k);
                    l.disable();
                    gate.countDown();
                    long spin = System.nanoTime() + rnd.nextInt(60_000);
                    while (System.nanoTime() < spin) {
                        Thread.onSpinWait();
                    }
                    l.enable();
                    assertThat(all.await(10, TimeUnit.SECONDS))
                            .as("trial %d: %d of %d connections never reached the callback", trial, all.getCount(), k)
                            .isTrue();
                } finally {
                    for (SocketChannel c : clients) {
                        c.close();
                    }
                }
            }
        } finally {
            base.free();
        }
    }

    @Test
    void aGroupListenerSkipsAMemberThatWasFreed() throws Exception {
        try (dev.loomevent.api.EventBaseGroup group = dev.loomevent.api.EventBaseGroup.create(2,
                dev.loomevent.api.EventBaseConfig.DEFAULT.withName("grp-freed"))) {
            group.bases().get(1).free();
            for (int i = 0; i < 6; i++) {
                assertThat(group.next(dev.loomevent.api.EventBaseGroup.Distribution.ROUND_ROBIN)).isSameAs(group.bases().get(0));
                assertThat(group.next(dev.loomevent.api.EventBaseGroup.Distribution.FEWEST_CONNECTIONS)).isSameAs(group.bases().get(0));
            }
            CountDownLatch all = new CountDownLatch(10);
            Listener l = Listener.bind(group, dev.loomevent.api.EventBaseGroup.Distribution.FEWEST_CONNECTIONS,
                    (lis, ch, peer, arg) -> {
                        all.countDown();
                        try {
                            ch.close();
                        } catch (IOException ignored) {
                            // counted: that is all the test needs
                        }
                    }, null, EnumSet.of(ListenerOption.CLOSE_ON_FREE), -1, loopback());
            List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    clients.add(SocketChannel.open(l.localAddress()));
                }
                // Before: the freed base, with no open connection, took about half and closed them unseen.
                assertThat(all.await(10, TimeUnit.SECONDS)).as("%d of 10 never reached the callback", all.getCount()).isTrue();
            } finally {
                for (SocketChannel c : clients) {
                    c.close();
                }
                l.free();
            }
        }
    }
}
