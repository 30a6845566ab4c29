package dev.loomevent.loadtest.scenario;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle connections: each does one exchange (so the server has surely set it up), then stays open
 * and silent until the run stops (in a mixed run with message counts: closes after it).
 * <p>Runner thread; sessions run on their connection's thread.
 */
final class Idle extends SessionWorkload<Idle.Session> {
    private final AtomicInteger ready = new AtomicInteger();

    Idle(Ctx ctx, Part part, int connections, int size) {
        super(ctx, part);
        for (int i = 0; i < connections; i++) {
            sessions.add(new Session(ctx, part, size, ready));
        }
    }

    /** Returns how many connections finished their exchange. Any thread. */
    int ready() {
        return ready.get();
    }

    int size() {
        return sessions.size();
    }

    static final class Session extends EchoSession {
        private final AtomicInteger ready;
        private long sentAt;

        Session(Ctx ctx, Part part, int size, AtomicInteger ready) {
            super(ctx, part, size);
            this.ready = ready;
        }

        @Override
        void started() {
            sentAt = System.nanoTime();
            send();
        }

        @Override
        void echoed(long seq, long now) {
            part.echoed(now - sentAt, format.size());
            ready.incrementAndGet();
            // in a counted mixed run the idle connections must not outlive the counted work
            finished = ctx.config.counted() && ctx.config.scenario() != Scenario.IDLE;
        }
    }
}
