package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.EventBase;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Proxy: curl through it to jwebserver, and 50 MB through it to a reader that stalls. */
@Timeout(120)
class ProxyTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long MAX_OUTPUT = 256 * 1024;
    private static final long READ_HIGH = 32 * 1024;

    private final Lines printed = new Lines();
    private final EventBase base = EventBase.create();

    @AfterEach
    void stop() {
        base.free();
    }

    @Test
    void curlFetchesPagesFromJwebserverThroughTheProxy(@TempDir Path root) throws Exception {
        Peers.require("curl", "curl");
        Files.writeString(root.resolve("hello.txt"), "hello through the proxy\n");
        byte[] big = new byte[4 * 1024 * 1024];
        new Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        base.start();
        try (WebServer origin = WebServer.serve(root);
             Proxy proxy = new Proxy(base, Args.loopback(0), new InetSocketAddress("127.0.0.1", origin.port()),
                     MAX_OUTPUT, READ_HIGH, printed.printStream(), null)) {
            String url = "http://127.0.0.1:" + proxy.localAddress().getPort();

            Peers.Result small = Peers.run(WAIT, new byte[0], List.of("curl", "-sS", "--fail", url + "/hello.txt"));
            assertThat(small.exitCode()).as(small.stderr()).isZero();
            assertThat(small.out()).isEqualTo("hello through the proxy\n");

            Peers.Result large = Peers.run(WAIT, new byte[0], List.of("curl", "-sS", "--fail", url + "/big.bin"));
            assertThat(large.exitCode()).as(large.stderr()).isZero();
            assertThat(sha256(large.stdout())).isEqualTo(sha256(big));
            assertThat(proxy.peakBuffered()).isLessThanOrEqualTo(MAX_OUTPUT + 2 * READ_HIGH);
        }
        assertThat(printed.lines()).isEmpty();
    }

    @Test
    void fiftyMegabytesReachAStallingReaderIntactWhileTheProxyBuffersStayWithinTheWatermarks() throws Exception {
        long total = 50L * 1024 * 1024;
        Semaphore throttled = new Semaphore(0);
        AtomicReference<String> sentDigest = new AtomicReference<>();
        try (ServerSocket originSocket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread origin = Thread.ofVirtual().start(() -> sendRandom(originSocket, total, sentDigest));
            base.start();
            try (Proxy proxy = new Proxy(base, Args.loopback(0), originSocket.getLocalSocketAddress(),
                    MAX_OUTPUT, READ_HIGH, printed.printStream(), throttled::release);
                 Socket reader = new Socket(proxy.localAddress().getAddress(), proxy.localAddress().getPort())) {
                InputStream in = reader.getInputStream();
                MessageDigest received = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[16 * 1024];
                long got = 0;
                long nextStall = 0;
                int stalls = 0;
                while (true) {
                    if (got >= nextStall && stalls < 3) {
                        // The slow reader: take nothing until the proxy has had to stop reading from the origin.
                        assertThat(throttled.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS))
                                .as("the proxy stopped reading while the reader stalled at %d bytes", got).isTrue();
                        throttled.drainPermits();
                        stalls++;
                        nextStall += 15L * 1024 * 1024;
                    }
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    received.update(buf, 0, n);
                    got += n;
                }
                origin.join();
                assertThat(got).isEqualTo(total);
                assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(sentDigest.get());
                assertThat(stalls).isEqualTo(3);
                assertThat(proxy.throttles()).isGreaterThanOrEqualTo(3);
                assertThat(proxy.peakBuffered())
                        .as("most bytes any proxy buffer held")
                        .isPositive()
                        .isLessThanOrEqualTo(MAX_OUTPUT + 2 * READ_HIGH);
            }
        }
        assertThat(printed.lines()).isEmpty();
    }

    /** The origin: accepts one connection, sends {@code total} seeded random bytes, closes. */
    private static void sendRandom(ServerSocket server, long total, AtomicReference<String> digest) {
        try (Socket s = server.accept(); OutputStream os = s.getOutputStream()) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Random random = new Random(50);
            byte[] chunk = new byte[64 * 1024];
            for (long sent = 0; sent < total; sent += chunk.length) {
                random.nextBytes(chunk);
                int n = (int) Math.min(chunk.length, total - sent);
                sha.update(chunk, 0, n);
                os.write(chunk, 0, n);
            }
            digest.set(HexFormat.of().formatHex(sha.digest()));
        } catch (Exception e) {
            digest.set("origin failed: " + e);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
