package dev.loomevent.loadtest.scenario;

import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open loop, as wrk2 does it: a pacer sends message k at its intended time
 * {@code start + k / rate}, round-robin over the connections, whatever the server does. Each echo's
 * latency counts from the intended time, not from when the send happened, so a server (or client)
 * that stalls is charged for every message that queued behind the stall: no coordinated omission.
 * <p>Runner thread; the pacer runs on its own platform thread; sessions on their connection's thread.
 */
final class OpenLoop extends SessionWorkload<OpenLoop.Session> {
    private final double rate;
    private Thread pacer;
    /** Set by the pacer when it sent its last message; read by sessions to close when quiet. */
    private volatile boolean pacerDone;

    OpenLoop(Ctx ctx, Part part, int connections, int size, double rate) {
        super(ctx, part);
        this.rate = rate;
        for (int i = 0; i < connections; i++) {
            sessions.add(new Session(ctx, part, size, this));
        }
        // the pacer counts as a session: the run is not over while it still has messages to send
        ctx.control.sessionStarted();
    }

    @Override
    void start() {
        super.start();
        pacer = Thread.ofPlatform().name("loadtest-pacer").daemon().start(this::pace);
    }

    @Override
    void stop() {
        try {
            pacer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.stop();
    }

    private void pace() {
        try {
            awaitConnected();
            int n = sessions.size();
            long limit = ctx.config.messages() > 0 ? ctx.config.messages() * n : Long.MAX_VALUE;
            double period = 1e9 / rate;
            long start = System.nanoTime();
            for (long k = 0; k < limit && !ctx.control.stopping(); ) {
                long due = start + (long) (k * period);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                Session s = sessions.get((int) (k % n));
                k++;
                if (s.usable()) {
                    s.sendAt(due);
                }
            }
        } finally {
            pacerDone = true;
            sessions.forEach(s -> s.finished = true);
            sessions.forEach(EchoSession::closeIfQuiet);
            ctx.control.sessionEnded();
        }
    }

    /** Waits (bounded) until every session is connected or gone, so the rate is not skewed by connecting. */
    private void awaitConnected() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !ctx.control.stopping()
                && sessions.stream().anyMatch(s -> !s.settled)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    static final class Session extends EchoSession {
        private final OpenLoop loop;
        /** Guards {@code intended}: the pacer adds, the connection's thread removes. */
        private final ReentrantLock lock = new ReentrantLock();
        private final LongRing intended = new LongRing();

        Session(Ctx ctx, Part part, int size, OpenLoop loop) {
            super(ctx, part, size);
            this.loop = loop;
        }

        @Override
        void started() {
            finished = loop.pacerDone;
        }

        /** Pacer thread: sends the next message, due at {@code due}. */
        void sendAt(long due) {
            lock.lock();
            try {
                intended.add(due);
            } finally {
                lock.unlock();
            }
            try {
                send();
            } catch (UncheckedIOException e) {
                // the connection failed; its reader reports it, with what it still owed
                outstanding.decrementAndGet();
            }
        }

        @Override
        void echoed(long seq, long now) {
            long due;
            lock.lock();
            try {
                due = intended.poll();
            } finally {
                lock.unlock();
            }
            part.echoed(now - due, format.size());
        }
    }

    /** A growable FIFO of longs. Not thread-safe. */
    static final class LongRing {
        private long[] a = new long[64];
        private int head;
        private int size;

        void add(long v) {
            if (size == a.length) {
                long[] b = new long[a.length * 2];
                for (int i = 0; i < size; i++) {
                    b[i] = a[(head + i) & (a.length - 1)];
                }
                a = b;
                head = 0;
            }
            a[(head + size) & (a.length - 1)] = v;
            size++;
        }

        long poll() {
            if (size == 0) {
                throw new IllegalStateException("an echo arrived for a message never sent");
            }
            long v = a[head];
            head = (head + 1) & (a.length - 1);
            size--;
            return v;
        }
    }
}
