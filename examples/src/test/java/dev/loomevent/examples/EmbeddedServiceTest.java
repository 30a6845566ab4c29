package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * EmbeddedService in a child JVM: the protocol, /metrics, and SIGTERM in the middle of traffic — every
 * reply the service accepted must reach its client, and the JVM must exit 0 by itself.
 */
@Timeout(120)
class EmbeddedServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern BANNER = Pattern.compile(
            "embedded: lines on (.+):(\\d+), metrics on http://(.+):(\\d+)/metrics, 2 bases");
    private static final Pattern STOPPED = Pattern.compile(
            "embedded: stopped after (\\d+) replies; (\\d+) connections closed at the deadline");
    private static final int CLIENTS = 4;
    private static final int BATCH = 25;

    /** What one client saw: replies in order, and whether the stream ended in the middle of a line. */
    private record Seen(long replies, String error) {
    }

    @Test
    void sigtermMidTrafficDeliversEveryAcceptedReplyAndTheJvmExitsZero() throws Exception {
        try (Child child = Child.start("TERM", EmbeddedService.class, "0", "0", "20000", "2")) {
            Matcher banner = BANNER.matcher(child.await(line -> line.startsWith("embedded: lines on"), WAIT));
            assertThat(banner.matches()).isTrue();
            String host = banner.group(1);
            int port = Integer.parseInt(banner.group(2));

            long protocolReplies = checkProtocol(host, port);
            checkMetrics(banner.group(3), Integer.parseInt(banner.group(4)));

            CountDownLatch warmedUp = new CountDownLatch(CLIENTS);
            List<Thread> threads = new ArrayList<>();
            Seen[] seen = new Seen[CLIENTS]; // each slot written by its client, read after join
            for (int c = 0; c < CLIENTS; c++) {
                int id = c;
                threads.add(Thread.ofVirtual().start(() -> seen[id] = client(host, port, id, warmedUp)));
            }
            assertThat(warmedUp.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("every client got replies").isTrue();

            child.signal("TERM");

            for (Thread t : threads) {
                t.join(WAIT.toMillis());
                assertThat(t.isAlive()).as("client still running").isFalse();
            }
            assertThat(child.awaitExit(WAIT)).as("exit code; output %s", child.lines()).isZero();

            Matcher stopped = STOPPED.matcher(child.await(line -> line.startsWith("embedded: stopped"), WAIT));
            assertThat(stopped.matches()).isTrue();
            assertThat(stopped.group(2)).as("connections closed at the deadline").isEqualTo("0");
            long delivered = protocolReplies;
            for (Seen s : seen) {
                assertThat(s.error()).isNull();
                delivered += s.replies();
            }
            assertThat(delivered).as("replies delivered vs replies the service accepted")
                    .isEqualTo(Long.parseLong(stopped.group(1)));
            assertThat(child.lines()).contains("embedded: shutting down", "embedded: no thread of ours left");
        }
    }

    private static long checkProtocol(String host, int port) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write("PING\r\nECHO hello there\nNOPE\nQUIT\nPING\n".getBytes(StandardCharsets.UTF_8));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // QUIT closes after BYE: the PING after it is not answered.
            assertThat(all).isEqualTo("PONG\nhello there\nERR unknown command\nBYE\n");
        }
        // A client that half-closes (nc -N) still gets every reply: EOF flushes, it does not drop.
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write("PING\nECHO hi\n".getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("PONG\nhi\n");
        }
        return 6;
    }

    private static void checkMetrics(String host, int port) throws Exception {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"))
                    .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("loomevent_bases", "service_replies_total");
        }
    }

    /**
     * Sends batches of ECHO requests and checks each reply, until the service ends the stream. Counts
     * down {@code warmedUp} after its fifth batch so the signal lands mid-traffic.
     */
    private static Seen client(String host, int port, int id, CountDownLatch warmedUp) {
        long replies = 0;
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            InputStream raw = s.getInputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8));
            for (long batch = 0; ; batch++) {
                StringBuilder requests = new StringBuilder();
                for (int i = 0; i < BATCH; i++) {
                    requests.append("ECHO ").append(id).append('-').append(batch * BATCH + i).append('\n');
                }
                try {
                    out.write(requests.toString().getBytes(StandardCharsets.UTF_8));
                } catch (IOException closed) {
                    return drainRest(in, replies);
                }
                for (int i = 0; i < BATCH; i++) {
                    String line = readLine(in);
                    if (line == null) {
                        return new Seen(replies, null);
                    }
                    String expected = id + "-" + (batch * BATCH + i);
                    if (!line.equals(expected)) {
                        return new Seen(replies, "reply " + replies + " was '" + line + "', expected '" + expected + "'");
                    }
                    replies++;
                }
                if (batch == 4) {
                    warmedUp.countDown();
                }
            }
        } catch (IOException e) {
            return new Seen(replies, "client " + id + " after " + replies + " replies: " + e);
        }
    }

    /** After a failed write, the replies already sent may still be waiting to be read. */
    private static Seen drainRest(BufferedReader in, long replies) throws IOException {
        while (readLine(in) != null) {
            replies++;
        }
        return new Seen(replies, null);
    }

    /** Reads a whole line, null at EOF; a line cut off by EOF is an error (a reply was lost halfway). */
    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int ch;
        while ((ch = in.read()) >= 0) {
            if (ch == '\n') {
                return sb.toString();
            }
            sb.append((char) ch);
        }
        if (!sb.isEmpty()) {
            throw new IOException("the stream ended inside a reply: '" + sb + "'");
        }
        return null;
    }
}
