package dev.loomevent.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.EolStyle;
import dev.loomevent.api.Event;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.EventBaseGroup;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import dev.loomevent.api.Signal;
import dev.loomevent.metrics.LoomeventMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A service as a JDK 21 application embeds loomevent: an {@link EventBaseGroup} serving a line
 * protocol beside the application's own work, metrics on {@code /metrics}, and a graceful shutdown on
 * SIGTERM.
 * <p>Not a libevent sample: it is what libevent leaves to its users. What it shows:
 * <ul>
 * <li>{@link EventBaseGroup} with a {@link Listener} bound to it: connections are spread over the
 *     bases, and each connection's callbacks run on its base's thread ({@link EventBase#current()}
 *     in the accept callback) — the main thread stays free for the service's own work;</li>
 * <li>a line protocol: {@code PING} → {@code PONG}, {@code ECHO text} → {@code text},
 *     {@code QUIT} → {@code BYE} and close; anything else → {@code ERR ...};</li>
 * <li>{@link LoomeventMetrics} bound to a Prometheus registry, with the service's own counter
 *     {@code service.replies}, served by the JDK's {@code com.sun.net.httpserver.HttpServer};</li>
 * <li>graceful shutdown on SIGTERM or SIGINT (a signal event, libevent's {@code evsignal_new}):
 *     stop accepting ({@link Listener#free()}); on every connection stop taking requests, let the
 *     replies already accepted drain, then half-close ({@code shutdownOutput}) and wait for the peer
 *     to close, so no reply is lost to a reset; free what is left at the deadline; free the group
 *     and stop the HTTP server; return from {@code main} with no thread of ours left, so the JVM
 *     exits 0 by itself.</li>
 * </ul>
 * <p>Run: {@code ./loomevent example embedded [port] [metrics-port] [grace-ms] [bases]}
 * (9990, 9464, 5000 ms and 2 by default), then {@code printf 'PING\nECHO hi\n' | nc -N 127.0.0.1 9990},
 * {@code curl http://127.0.0.1:9464/metrics}, and {@code kill <pid>}.
 * <p>Thread rules: a {@link Connection} is touched only on its base's callback thread; the set of
 * open connections and the shutdown flag are guarded by {@code lock}; {@link #main} runs on the main
 * thread.
 */
public final class EmbeddedService {
    static final int DEFAULT_PORT = 9990;
    static final int DEFAULT_METRICS_PORT = 9464;
    static final int DEFAULT_GRACE_MS = 5000;
    /** A client who sends this much without an end of line is cut off. */
    static final long MAX_LINE = 64 * 1024;

    private final PrintStream out;
    private final EventBaseGroup group;
    private final Listener listener;
    private final PrometheusMeterRegistry registry;
    private final LoomeventMetrics metrics;
    private final Counter replies;
    private final ExecutorService httpExecutor;
    private final HttpServer http;

    /** Guards {@code open} and {@code stopping}; {@code allClosed} is signalled when {@code open} empties. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition allClosed = lock.newCondition();
    private final Set<Connection> open = new HashSet<>(); // guarded by lock
    private boolean stopping; // guarded by lock

    EmbeddedService(int port, int metricsPort, int bases, PrintStream out) {
        this.out = out;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.metrics = new LoomeventMetrics();
        metrics.bindTo(registry);
        this.replies = Counter.builder("service.replies").description("Replies the service has queued").register(registry);
        this.group = EventBaseGroup.create(bases, EventBaseConfig.DEFAULT.withName("embedded"));
        this.listener = Listener.bind(group, EventBaseGroup.Distribution.ROUND_ROBIN, this::onAccept, null,
                EnumSet.of(ListenerOption.REUSEABLE, ListenerOption.CLOSE_ON_FREE), -1, Args.loopback(port));
        this.httpExecutor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            this.http = HttpServer.create(Args.loopback(metricsPort), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on port " + metricsPort, e);
        }
        http.createContext("/metrics", this::serveMetrics);
        http.setExecutor(httpExecutor);
        http.start();
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    InetSocketAddress metricsAddress() {
        return http.getAddress();
    }

    private void serveMetrics(HttpExchange exchange) throws IOException {
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }

    /** Runs on the callback thread of the base the group picked for this connection. */
    private void onAccept(Listener l, SocketChannel channel, SocketAddress peer, Object arg) {
        lock.lock();
        try {
            if (stopping) {
                closeQuietly(channel); // accepted just before the listener went away
                return;
            }
            Bufferevent bev = Bufferevent.socket(EventBase.current(), channel, EnumSet.of(BevOption.CLOSE_ON_FREE));
            Connection c = new Connection(bev);
            open.add(c);
            bev.setCallbacks(c::onRead, null, c::onEvent);
            bev.enable(Direction.READ);
        } finally {
            lock.unlock();
        }
    }

    /** One client. Callback thread of its base only. */
    private final class Connection {
        private final Bufferevent bev;
        private boolean closing;
        private boolean halfClosed;

        Connection(Bufferevent bev) {
            this.bev = bev;
        }

        void onRead(Bufferevent b, Object arg) {
            if (closing) {
                b.input().drain(b.input().length()); // no new requests after shutdown began
                return;
            }
            String line;
            while ((line = b.input().readLine(EolStyle.CRLF)) != null) {
                String reply = answer(line);
                b.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
                replies.increment();
                if (reply.equals("BYE")) {
                    beginClose();
                    return;
                }
            }
            if (b.input().length() > MAX_LINE) {
                finish();
            }
        }

        void onEvent(Bufferevent b, int events, Object arg) {
            if ((events & BevEvent.ERROR) != 0) {
                finish();
            } else if ((events & BevEvent.EOF) != 0) {
                // The peer has sent all it will (nc -N half-closes): replies still queued go out
                // first, then the connection closes. free() would drop them.
                bev.setWatermark(Direction.WRITE, 0, 0);
                bev.setCallbacks(null, (w, a) -> finishIfFlushed(), this::onEvent);
                finishIfFlushed(); // the output may be empty already (a drain with no callback is not remembered)
            }
        }

        private void finishIfFlushed() {
            if (bev.output().isEmpty()) {
                finish();
            }
        }

        /** Stops taking requests; once the replies have left, half-closes and waits for the peer's EOF. */
        void beginClose() {
            if (closing) {
                return;
            }
            closing = true;
            bev.setWatermark(Direction.WRITE, 0, 0);
            bev.setCallbacks(this::onRead, this::halfClose, this::onEvent);
            // The writer runs on its own thread and may have emptied the output before the write
            // callback existed (a drain with no callback set is not remembered): look now as well.
            halfClose(bev, null);
        }

        /** The output has drained: send FIN after the last reply; reading on sees the peer's EOF. */
        private void halfClose(Bufferevent b, Object arg) {
            if (halfClosed || !b.output().isEmpty()) {
                return;
            }
            halfClosed = true;
            try {
                b.channel().shutdownOutput();
            } catch (IOException e) {
                finish();
            }
        }

        void finish() {
            bev.free();
            lock.lock();
            try {
                if (open.remove(this) && open.isEmpty()) {
                    allClosed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private static String answer(String line) {
        if (line.equals("PING")) {
            return "PONG";
        }
        if (line.startsWith("ECHO ")) {
            return line.substring(5);
        }
        if (line.equals("QUIT")) {
            return "BYE";
        }
        return "ERR unknown command";
    }

    /**
     * Stops accepting, closes every connection gracefully within {@code grace}, then frees the
     * group, stops the HTTP server and closes the metrics binder. Any thread but a callback thread
     * of the group.
     *
     * @return how many connections were still open at the deadline and freed without waiting
     */
    int shutdown(Duration grace) throws InterruptedException {
        List<Connection> closing;
        lock.lock();
        try {
            stopping = true;
            closing = new ArrayList<>(open);
        } finally {
            lock.unlock();
        }
        listener.free();
        for (Connection c : closing) {
            c.bev.base().execute(c::beginClose);
        }
        int forced;
        lock.lock();
        try {
            long nanos = grace.toNanos();
            while (!open.isEmpty() && nanos > 0) {
                nanos = allClosed.awaitNanos(nanos);
            }
            forced = open.size();
            open.clear();
        } finally {
            lock.unlock();
        }
        group.free(); // frees whatever did not close in time, and ends the bases' threads
        http.stop(0);
        httpExecutor.close();
        metrics.close(); // ends its JFR recording stream (virtual-thread metrics), a thread of ours
        return forced;
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was sent on it; the peer sees the connection refused or reset
        }
    }

    /**
     * Serves until SIGTERM or SIGINT, then shuts down gracefully and returns.
     *
     * @param args {@code [port] [metrics-port] [grace-ms] [bases]}
     */
    public static void main(String[] args) throws InterruptedException {
        Examples.exitOnFailure(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws InterruptedException {
        int port = Args.port(args, 0, "port", DEFAULT_PORT);
        int metricsPort = Args.port(args, 1, "metrics-port", DEFAULT_METRICS_PORT);
        Duration grace = Duration.ofMillis(Args.integer(args, 2, "grace-ms", DEFAULT_GRACE_MS, 0, 3_600_000));
        int bases = Args.integer(args, 3, "bases", 2, 1, 256);

        EmbeddedService service = new EmbeddedService(port, metricsPort, bases, out);
        CountDownLatch stopRequested = new CountDownLatch(1);
        EventBase first = service.group.bases().get(0);
        Event term = first.newSignal(Signal.TERM, (event, what, arg) -> stopRequested.countDown(), null);
        Event interrupt = first.newSignal(Signal.INT, (event, what, arg) -> stopRequested.countDown(), null);
        term.add(null);
        interrupt.add(null);
        out.printf("embedded: lines on %s, metrics on http://%s/metrics, %d bases%n",
                Args.hostPort(service.localAddress()), Args.hostPort(service.metricsAddress()), bases);
        out.flush();

        // The service's own work goes on here, on the main thread; this one reports now and then.
        while (!stopRequested.await(10, TimeUnit.SECONDS)) {
            out.printf("embedded: %d connections open, %.0f replies%n", service.openConnections(), service.replies.count());
        }

        out.println("embedded: shutting down");
        int forced = service.shutdown(grace);
        long served = (long) service.replies.count();
        service.registry.close();
        out.printf("embedded: stopped after %d replies; %d connections closed at the deadline%n", served, forced);
        List<String> left = threadsLeft();
        out.println(left.isEmpty() ? "embedded: no thread of ours left" : "embedded: threads still running: " + left);
        out.flush();
        return left.isEmpty() ? 0 : 1;
    }

    private int openConnections() {
        lock.lock();
        try {
            return open.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Non-daemon platform threads besides this one that are still alive after a bounded wait: each
     * would keep the JVM from exiting. The wait is needed because some threads end asynchronously
     * after their owner was closed (JFR's event-stream thread, stopped by closing the metrics binder).
     */
    private static List<String> threadsLeft() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t != Thread.currentThread() && !t.isDaemon() && !t.getName().equals("DestroyJavaVM")) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(java.time.Duration.ofNanos(left));
                }
                if (t.isAlive()) {
                    names.add(t.getName());
                }
            }
        }
        return names;
    }
}
