package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.EventBase;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HelloWorld against nc, and its SIGINT handling in a child JVM. */
@Timeout(60)
class HelloWorldTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void everyConnectionGetsTheGreetingAndIsClosedOnceItIsFlushed() throws Exception {
        Peers.require("nc", "netcat-openbsd");
        Lines printed = new Lines();
        EventBase base = EventBase.create();
        base.start();
        try (HelloWorld server = new HelloWorld(base, Args.loopback(0), printed.printStream())) {
            String port = Integer.toString(server.localAddress().getPort());
            for (int i = 1; i <= 3; i++) {
                // nc exits only when the server closes: that is the "free once flushed" half.
                Peers.Result nc = Peers.run(WAIT, new byte[0], List.of("nc", "127.0.0.1", port));
                assertThat(nc.exitCode()).as(nc.stderr()).isZero();
                assertThat(nc.out()).isEqualTo("Hello, World!\n");
                assertThat(printed.awaitCount(i, WAIT)).containsOnly("flushed answer");
            }
        } finally {
            base.free();
        }
    }

    @Test
    void sigintEndsTheLoopAfterTheDelayAndEverythingIsFreed() throws Exception {
        try (Child child = Child.start("INT", HelloWorld.class, "0", "0")) {
            Matcher m = Pattern.compile("Listening on (.+):(\\d+)").matcher(
                    child.await(line -> line.startsWith("Listening on "), WAIT));
            assertThat(m.matches()).isTrue();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))), 10_000);
                InputStream in = s.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("Hello, World!\n");
            }
            child.await(line -> line.equals("flushed answer"), WAIT);

            child.signal("INT");

            assertThat(child.awaitExit(WAIT)).as("exit code; output %s", child.lines()).isZero();
            assertThat(child.lines()).containsExactly(
                    "Listening on " + m.group(1) + ":" + m.group(2),
                    "flushed answer",
                    "Caught an interrupt signal; exiting cleanly in 0 ms.",
                    "done");
        }
    }
}
