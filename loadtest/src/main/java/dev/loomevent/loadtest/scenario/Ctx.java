package dev.loomevent.loadtest.scenario;

import dev.loomevent.loadtest.client.ClientTransport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the workloads of one run share.
 * <p>Any thread.
 */
final class Ctx {
    final RunControl control;
    final ScenarioConfig config;
    final ClientTransport transport;
    final InetSocketAddress address;
    /** Bounds the connects in progress, so a large run does not overflow the server's backlog. */
    final Semaphore connectPermits;
    private final AtomicLong salts = new AtomicLong();
    private final AtomicReference<Throwable> firstConnectError = new AtomicReference<>();

    Ctx(RunControl control, ScenarioConfig config, ClientTransport transport, InetSocketAddress address) {
        this.control = control;
        this.config = config;
        this.transport = transport;
        this.address = address;
        this.connectPermits = new Semaphore(config.connectConcurrency());
    }

    long nextSalt() {
        return salts.incrementAndGet();
    }

    void connectFailed(Throwable t) {
        firstConnectError.compareAndSet(null, t);
    }

    Throwable firstConnectError() {
        return firstConnectError.get();
    }

    /** Connects the sessions one after another on a virtual thread, at most {@code connectConcurrency} at a time. */
    void connectAll(List<? extends EchoSession> sessions) {
        Thread.ofVirtual().name("loadtest-connector").start(() -> {
            for (EchoSession s : sessions) {
                if (control.stopping()) {
                    s.abandon();
                    continue;
                }
                try {
                    connectPermits.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    s.abandon();
                    continue;
                }
                transport.connect(address, s);
            }
        });
    }
}
