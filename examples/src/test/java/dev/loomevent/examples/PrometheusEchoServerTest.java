package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Drives the echo server with real clients and reads its numbers through a real HTTP scrape. */
@Timeout(60)
class PrometheusEchoServerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int CLIENTS = 4;
    private static final int ROUNDS = 16;
    private static final int MESSAGE = 1000;
    private static final Duration SETTLE = Duration.ofSeconds(10);

    @Test
    void scrapedBytesReadEqualWhatTheClientsSent() throws Exception {
        try (PrometheusEchoServer server = PrometheusEchoServer.start(
                new InetSocketAddress(LOOPBACK, 0), new InetSocketAddress(LOOPBACK, 0));
             HttpClient http = HttpClient.newHttpClient();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Scraper scraper = new Scraper(http, server);
            CountDownLatch halfway = new CountDownLatch(CLIENTS);
            CountDownLatch resume = new CountDownLatch(1);
            List<Future<Long>> sent = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int id = c;
                sent.add(clients.submit(() -> echoClient(server, id, halfway, resume)));
            }

            // Traffic is paused half way: every client has sent, and got back, half of its bytes.
            assertThat(halfway.await(30, TimeUnit.SECONDS)).isTrue();
            long half = (long) CLIENTS * (ROUNDS / 2) * MESSAGE;
            assertThat(scraper.settle("loomevent_io_bytes_total", half, "direction=\"read\"")).isEqualTo(half);
            assertThat(scraper.value("loomevent_connections_open")).isEqualTo(CLIENTS);
            assertThat(scraper.value("loomevent_listener_accepted_total")).isEqualTo(CLIENTS);
            resume.countDown();

            long total = 0;
            for (Future<Long> f : sent) {
                total += f.get(30, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo((long) CLIENTS * ROUNDS * MESSAGE);
            assertThat(scraper.settle("loomevent_io_bytes_total", total, "direction=\"read\"")).isEqualTo(total);
            assertThat(scraper.settle("loomevent_io_bytes_total", total, "direction=\"write\"")).isEqualTo(total);
            assertThat(scraper.settle("loomevent_listener_io_bytes_total", total, "direction=\"read\""))
                    .isEqualTo(total);
            assertThat(scraper.settle("loomevent_connections_closed_total", CLIENTS)).isEqualTo(CLIENTS);
            assertThat(scraper.settle("loomevent_eofs_total", CLIENTS, "direction=\"read\"")).isEqualTo(CLIENTS);
            assertThat(scraper.value("loomevent_connections_open")).isZero();
            assertThat(scraper.value("loomevent_callbacks_seconds_count", "kind=\"read\"")).isPositive();
        }
    }

    @Test
    void metricsEndpointSpeaksPrometheusTextAndRefusesPost() throws Exception {
        try (PrometheusEchoServer server = PrometheusEchoServer.start(
                new InetSocketAddress(LOOPBACK, 0), new InetSocketAddress(LOOPBACK, 0));
             HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(server.metricsUri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(server.metricsUri())
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
            assertThat(get.body()).contains("# TYPE loomevent_io_bytes_total counter",
                    "base=\"" + PrometheusEchoServer.BASE_NAME + "\"");
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aPeerThatHalfClosesRightAfterSendingGetsItsEcho() throws Exception {
        try (PrometheusEchoServer server = PrometheusEchoServer.start(
                new InetSocketAddress(LOOPBACK, 0), new InetSocketAddress(LOOPBACK, 0));
             HttpClient http = HttpClient.newHttpClient()) {
            byte[] sent = "hello metrics\n".getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try (SocketChannel ch = SocketChannel.open(server.echoAddress())) {
                ch.write(ByteBuffer.wrap(sent));
                ch.shutdownOutput();
                ByteBuffer in = ByteBuffer.allocate(256);
                while (ch.read(in.clear()) >= 0) {
                    got.write(in.array(), 0, in.position());
                }
            }

            assertThat(got.toByteArray()).isEqualTo(sent);
            Scraper scraper = new Scraper(http, server);
            assertThat(scraper.settle("loomevent_io_bytes_total", sent.length, "direction=\"write\""))
                    .isEqualTo(sent.length);
        }
    }

    /** One client: ROUNDS messages, each read back whole and checked, pausing half way. */
    private static long echoClient(PrometheusEchoServer server, int id, CountDownLatch halfway,
                                   CountDownLatch resume) throws IOException, InterruptedException {
        long sent = 0;
        try (SocketChannel ch = SocketChannel.open(server.echoAddress())) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ByteBuffer out = ByteBuffer.allocate(MESSAGE);
            ByteBuffer in = ByteBuffer.allocate(MESSAGE);
            for (int r = 0; r < ROUNDS; r++) {
                if (r == ROUNDS / 2) {
                    halfway.countDown();
                    if (!resume.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test did not resume client " + id);
                    }
                }
                out.clear();
                for (int i = 0; i < MESSAGE; i++) {
                    out.put((byte) (id * 31 + r + i));
                }
                out.flip();
                while (out.hasRemaining()) {
                    sent += ch.write(out);
                }
                in.clear();
                while (in.hasRemaining()) {
                    if (ch.read(in) < 0) {
                        throw new IOException("client " + id + ": EOF in round " + r);
                    }
                }
                assertThat(in.flip()).isEqualTo(out.flip());
            }
        }
        return sent;
    }

    /** Scrapes /metrics and reads one series of the echo server's base or listener. */
    private static final class Scraper {
        private final HttpClient http;
        private final HttpRequest request;

        Scraper(HttpClient http, PrometheusEchoServer server) {
            this.http = http;
            this.request = HttpRequest.newBuilder(server.metricsUri()).build();
        }

        /** Returns the series' value now; labels must all appear on the line, beside the app tag. */
        double value(String series, String... labels) throws IOException, InterruptedException {
            String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.lines().toList()) {
                if (line.startsWith(series + "{") && line.contains("app=\"" + PrometheusEchoServer.BASE_NAME + "\"")
                        && containsAll(line, labels)) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            throw new AssertionError("no series " + series + " " + List.of(labels) + " in\n" + body);
        }

        /**
         * Scrapes until the series reaches {@code expected} or SETTLE passes, and returns the last
         * value: the engine counts bytes on its I/O threads, which may finish counting just after the
         * echo reached the client.
         */
        double settle(String series, long expected, String... labels) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + SETTLE.toNanos();
            double v = value(series, labels);
            while (v != expected && System.nanoTime() < deadline) {
                v = value(series, labels);
            }
            return v;
        }

        private static boolean containsAll(String line, String... labels) {
            for (String l : labels) {
                if (!line.contains(l)) {
                    return false;
                }
            }
            return true;
        }
    }
}
