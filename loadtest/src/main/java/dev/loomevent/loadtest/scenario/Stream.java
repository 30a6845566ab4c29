package dev.loomevent.loadtest.scenario;

/**
 * Continuous writes: each connection keeps {@code window} chunks in flight and sends a new one as
 * each echo returns. The window stays below the kernel's socket buffers, so writing and the echo
 * never wait on each other. Latency is each chunk's round trip.
 * <p>Runner thread; sessions run on their connection's thread.
 */
final class Stream extends SessionWorkload<Stream.Session> {
    Stream(Ctx ctx, Part part, int connections, int chunk, int window) {
        super(ctx, part);
        for (int i = 0; i < connections; i++) {
            sessions.add(new Session(ctx, part, chunk, window));
        }
    }

    static final class Session extends EchoSession {
        private final long limit;
        private final long[] sentAt;

        Session(Ctx ctx, Part part, int chunk, int window) {
            super(ctx, part, chunk);
            this.limit = ctx.config.messages();
            this.sentAt = new long[window];
        }

        @Override
        void started() {
            for (int i = 0; i < sentAt.length && (limit == 0 || sent() < limit); i++) {
                next();
            }
        }

        @Override
        void echoed(long seq, long now) {
            part.echoed(now - sentAt[(int) (seq % sentAt.length)], format.size());
            if (limit > 0 && sent() >= limit) {
                finished = true;
            } else if (!ctx.control.stopping()) {
                next();
            }
        }

        private void next() {
            sentAt[(int) (sent() % sentAt.length)] = System.nanoTime();
            send();
        }
    }
}
