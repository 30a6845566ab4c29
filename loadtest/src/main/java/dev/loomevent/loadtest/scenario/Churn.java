package dev.loomevent.loadtest.scenario;

import dev.loomevent.loadtest.client.ClientConnection;
import dev.loomevent.loadtest.client.ConnectionHandler;
import dev.loomevent.loadtest.payload.IntegrityException;
import dev.loomevent.loadtest.payload.MessageDecoder;
import dev.loomevent.loadtest.payload.MessageFormat;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Connection churn: each worker connects, does one exchange, closes, and starts over. Latency is
 * connect + exchange; the figure is connections per second.
 * <p>Runner thread; workers run on their connection's thread.
 */
final class Churn extends Workload {
    /** Consecutive connect failures after which a worker gives up and fails the run. */
    private static final int MAX_CONSECUTIVE_FAILURES = 100;

    private final Part part;
    private final List<Worker> workers = new ArrayList<>();

    Churn(Ctx ctx, Part part, int concurrency, int size) {
        super(ctx);
        this.part = part;
        for (int i = 0; i < concurrency; i++) {
            workers.add(new Worker(i, size));
        }
    }

    @Override
    List<Part> parts() {
        return List.of(part);
    }

    @Override
    void start() {
        workers.forEach(Worker::cycle);
    }

    @Override
    void stop() {
        // each worker sees the stop flag when its current connection ends
    }

    private final class Worker implements ConnectionHandler {
        private final int index;
        private final MessageFormat format;
        private final byte[] message;
        private final long limit = ctx.config.messages();
        private long cycles;
        private int consecutiveFailures;
        // per connection, on the connection's thread
        private MessageDecoder decoder;
        private long startedAt;
        private boolean opened;
        private boolean echoed;

        Worker(int index, int size) {
            this.index = index;
            this.format = new MessageFormat(size, ctx.nextSalt());
            this.message = format.newBuffer();
            format.encode(message, 0, new CRC32C());
            ctx.control.sessionStarted();
        }

        void cycle() {
            if (ctx.control.stopping() || (limit > 0 && cycles >= limit)) {
                ctx.control.sessionEnded();
                return;
            }
            cycles++;
            decoder = new MessageDecoder(format, "churn worker " + index + " connection #" + cycles + " to " + ctx.address);
            opened = false;
            echoed = false;
            startedAt = System.nanoTime();
            ctx.transport.connect(ctx.address, this);
        }

        @Override
        public void onOpen(ClientConnection c) {
            opened = true;
            consecutiveFailures = 0;
            part.opened();
            c.send(message, 0, message.length);
        }

        @Override
        public void onData(ClientConnection c, ByteBuffer data) {
            decoder.feed(data, seq -> {
                part.echoed(System.nanoTime() - startedAt, format.size());
                echoed = true;
                c.close();
            });
        }

        @Override
        public void onClosed(ClientConnection c, boolean byPeer, Throwable error) {
            if (opened) {
                part.closed();
            }
            if (error instanceof IntegrityException) {
                ctx.control.fail(error);
            } else if (opened && !echoed) {
                ctx.control.fail(new IllegalStateException("churn connection " + c.id() + " to " + ctx.address
                        + (error == null ? " was closed by the server" : " failed (" + error + ")")
                        + " before its " + format.size() + "-byte message was echoed (" + decoder.partialBytes()
                        + " bytes received): data lost", error));
            } else if (!opened) {
                part.error();
                ctx.connectFailed(error);
                if (++consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
                    ctx.control.fail(new IllegalStateException("churn: " + MAX_CONSECUTIVE_FAILURES
                            + " connects in a row to " + ctx.address + " failed; last: " + error, error));
                }
            }
            cycle();
        }
    }
}
