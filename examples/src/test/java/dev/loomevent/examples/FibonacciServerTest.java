package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.EventBase;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** FibonacciServer drained by nc and by a reader taking a few bytes at a time. */
@Timeout(60)
class FibonacciServerTest {
    private static final int COUNT = 1000;

    private EventBase base;
    private FibonacciServer server;

    @BeforeEach
    void start() {
        base = EventBase.create();
        base.start();
        server = new FibonacciServer(base, Args.loopback(0), COUNT);
    }

    @AfterEach
    void stop() {
        server.close();
        base.free();
    }

    @Test
    void ncReceivesTheWholeSequenceAndThenEof() throws Exception {
        Peers.require("nc", "netcat-openbsd");
        Peers.Result nc = Peers.run(Duration.ofSeconds(30), new byte[0],
                List.of("nc", "127.0.0.1", Integer.toString(server.localAddress().getPort())));
        assertThat(nc.exitCode()).as(nc.stderr()).isZero();
        assertThat(nc.out()).isEqualTo(expected(COUNT));
    }

    @Test
    void aReaderTakingSevenBytesAtATimeGetsExactlyTheSameStream() throws Exception {
        StringBuilder received = new StringBuilder();
        try (Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
            InputStream in = s.getInputStream();
            byte[] small = new byte[7];
            int n;
            while ((n = in.read(small)) > 0) {
                received.append(new String(small, 0, n, StandardCharsets.US_ASCII));
            }
        }
        assertThat(received.toString()).isEqualTo(expected(COUNT));
    }

    /** The seed's sequence from last_fib = {0, 1}: 1, 2, 3, 5, ..., one per line. */
    private static String expected(int count) {
        StringBuilder sb = new StringBuilder();
        BigInteger a = BigInteger.ZERO;
        BigInteger b = BigInteger.ONE;
        for (int i = 0; i < count; i++) {
            BigInteger next = a.add(b);
            a = b;
            b = next;
            sb.append(next).append('\n');
        }
        return sb.toString();
    }
}
