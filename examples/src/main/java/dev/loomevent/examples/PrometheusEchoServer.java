package dev.loomevent.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import dev.loomevent.metrics.LoomeventMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An echo server with a {@code /metrics} endpoint in Prometheus' text format: loomevent's
 * {@link LoomeventMetrics} bound to a {@link PrometheusMeterRegistry}, served by the JDK's
 * {@link HttpServer} on virtual threads.
 *
 * <pre>
 * ./loomevent example prometheus-echo [echo-port [metrics-port]]     (defaults 9995 and 9464)
 * curl -s 127.0.0.1:9464/metrics | grep loomevent_io_bytes_total
 * </pre>
 *
 * <p>The echo part is libevent's classic bufferevent echo: the read callback moves the whole input
 * buffer to the output ({@code evbuffer_add_buffer(output, input)}). On error the event callback
 * frees the bufferevent; on EOF it closes it once the output is flushed, so a peer that half-closes
 * right after sending still gets its echo (libevent's samples free at once and drop it).
 * <p>{@link #start} and {@link #close} from any thread; the callbacks run on the base's callback
 * thread, the HTTP handler on a virtual thread per request.
 */
public final class PrometheusEchoServer implements AutoCloseable {
    /** The base's name: the {@code base} tag of its meters. */
    public static final String BASE_NAME = "prometheus-echo";

    private final EventBase base;
    private final Listener listener;
    private final PrometheusMeterRegistry registry;
    private final LoomeventMetrics metrics;
    private final ExecutorService httpExecutor;
    private final HttpServer http;

    private PrometheusEchoServer(EventBase base, Listener listener, PrometheusMeterRegistry registry,
                                 LoomeventMetrics metrics, ExecutorService httpExecutor, HttpServer http) {
        this.base = base;
        this.listener = listener;
        this.registry = registry;
        this.metrics = metrics;
        this.httpExecutor = httpExecutor;
        this.http = http;
    }

    /**
     * Starts the echo server on {@code echoAddress} and the metrics endpoint on
     * {@code metricsAddress} (port 0: an ephemeral port each). Any thread.
     *
     * @throws UncheckedIOException if an address cannot be bound
     */
    public static PrometheusEchoServer start(InetSocketAddress echoAddress, InetSocketAddress metricsAddress) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Bound before the base exists: the binder adds the base's meters when it is created.
        LoomeventMetrics metrics = new LoomeventMetrics(Tags.of("app", BASE_NAME));
        metrics.bindTo(registry);
        EventBase base = EventBase.create(EventBaseConfig.DEFAULT.withName(BASE_NAME));
        base.start();
        Listener listener = null;
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            listener = Listener.bind(base, (l, channel, peer, arg) -> echo(base, channel), null,
                    EnumSet.of(ListenerOption.CLOSE_ON_FREE, ListenerOption.REUSEABLE), -1, echoAddress);
            HttpServer http = HttpServer.create(metricsAddress, 0);
            http.setExecutor(executor);
            http.createContext("/metrics", exchange -> scrape(registry, exchange));
            http.start();
            return new PrometheusEchoServer(base, listener, registry, metrics, executor, http);
        } catch (IOException | RuntimeException e) {
            if (listener != null) {
                listener.free();
            }
            executor.close();
            metrics.close();
            base.free();
            registry.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** The accept callback's work, on the base's callback thread: echo everything read. */
    private static void echo(EventBase base, SocketChannel channel) {
        Bufferevent bev = Bufferevent.socket(base, channel, EnumSet.of(BevOption.CLOSE_ON_FREE));
        bev.setCallbacks(
                (b, arg) -> b.output().addBuffer(b.input()),
                null,
                (b, events, arg) -> {
                    if ((events & BevEvent.ERROR) != 0) {
                        b.free();
                    } else if ((events & BevEvent.EOF) != 0) {
                        // The peer may half-close right after sending (nc -N): echo the rest first.
                        b.closeAfterFlush();
                    }
                });
        bev.enable(EnumSet.allOf(Direction.class));
    }

    private static void scrape(PrometheusMeterRegistry registry, HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Returns the address the echo server accepts on. Any thread. */
    public SocketAddress echoAddress() {
        return listener.localAddress();
    }

    /** Returns the URI of the metrics endpoint. Any thread. */
    public URI metricsUri() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/metrics");
    }

    /** Stops serving metrics and echo, and frees the base. Idempotent in effect. Any thread. */
    @Override
    public void close() {
        http.stop(0);
        httpExecutor.close();
        listener.free();
        metrics.close();
        base.free();
        registry.close();
    }

    /**
     * Runs the server until the process is stopped (Ctrl-C).
     *
     * @param args optional echo port (default 9995) and metrics port (default 9464)
     */
    public static void main(String[] args) {
        int echoPort = args.length > 0 ? port(args[0], "echo-port") : 9995;
        int metricsPort = args.length > 1 ? port(args[1], "metrics-port") : 9464;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        PrometheusEchoServer server = start(new InetSocketAddress(loopback, echoPort),
                new InetSocketAddress(loopback, metricsPort));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "prometheus-echo-shutdown"));
        System.out.println("echo on " + server.echoAddress() + ", metrics at " + server.metricsUri());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int port(String arg, String name) {
        try {
            int port = Integer.parseInt(arg);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(name + " must be a port number in 0..65535, was '" + arg + "'");
    }
}
