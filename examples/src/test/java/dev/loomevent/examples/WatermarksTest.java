package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.EventBase;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Watermarks fed by nc and socat. */
@Timeout(60)
class WatermarksTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern DRAINED = Pattern.compile("Drained (\\d+) bytes from connection 1");
    private static final Pattern CLOSE = Pattern.compile(
            "Got a close from connection 1\\.  We drained (\\d+) bytes from it, and have (\\d+) left\\.");

    private final Lines printed = new Lines();
    private EventBase base;
    private Watermarks server;
    private String port;

    @BeforeEach
    void start() {
        base = EventBase.create();
        base.start();
        server = new Watermarks(base, Args.loopback(0), printed.printStream());
        port = Integer.toString(server.localAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.close();
        base.free();
    }

    @Test
    void fewerBytesThanTheLowWatermarkNeverReachTheReadCallback() throws Exception {
        Peers.require("nc", "netcat-openbsd");
        Peers.Result nc = Peers.run(WAIT, new byte[100], List.of("nc", "-N", "127.0.0.1", port));
        assertThat(nc.exitCode()).as(nc.stderr()).isZero();
        printed.await(line -> line.startsWith("Got a close"), WAIT);
        assertThat(printed.lines()).containsExactly(
                "Got a close from connection 1.  We drained 0 bytes from it, and have 100 left.");
    }

    @Test
    void theReadCallbackSeesBatchesOfAtLeast128BytesAndAtMost64KiB() throws Exception {
        Peers.require("socat", "socat");
        byte[] data = new byte[3 * 1024 * 1024 + 77];
        new Random(9).nextBytes(data);
        Peers.Result socat = Peers.run(WAIT, data, List.of("socat", "-u", "STDIN", "TCP:127.0.0.1:" + port));
        assertThat(socat.exitCode()).as(socat.stderr()).isZero();
        printed.await(line -> line.startsWith("Got a close"), WAIT);

        List<String> lines = printed.lines();
        long drained = 0;
        for (String line : lines.subList(0, lines.size() - 1)) {
            Matcher m = DRAINED.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            long n = Long.parseLong(m.group(1));
            assertThat(n).as(line).isBetween((long) Watermarks.READ_LOW, (long) Watermarks.READ_HIGH);
            drained += n;
        }
        Matcher close = CLOSE.matcher(lines.get(lines.size() - 1));
        assertThat(close.matches()).as(lines.get(lines.size() - 1)).isTrue();
        long left = Long.parseLong(close.group(2));
        assertThat(Long.parseLong(close.group(1))).isEqualTo(drained);
        assertThat(left).as("what is left never reached the low-watermark").isLessThan(Watermarks.READ_LOW);
        assertThat(drained + left).isEqualTo(data.length);
    }
}
