package dev.loomevent.loadtest.scenario;

/**
 * The closed loop: each connection sends one message and waits for its echo before the next.
 * Latency is the round trip of each message.
 * <p>Runner thread; sessions run on their connection's thread.
 */
final class PingPong extends SessionWorkload<PingPong.Session> {
    PingPong(Ctx ctx, Part part, int connections, int size) {
        super(ctx, part);
        for (int i = 0; i < connections; i++) {
            sessions.add(new Session(ctx, part, size));
        }
    }

    static final class Session extends EchoSession {
        private final long limit;
        private long sentAt;

        Session(Ctx ctx, Part part, int size) {
            super(ctx, part, size);
            this.limit = ctx.config.messages();
        }

        @Override
        void started() {
            next();
        }

        @Override
        void echoed(long seq, long now) {
            part.echoed(now - sentAt, format.size());
            if (limit > 0 && sent() >= limit) {
                finished = true;
            } else if (!ctx.control.stopping()) {
                next();
            }
        }

        private void next() {
            sentAt = System.nanoTime();
            send();
        }
    }
}
