package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.EventBase;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** UppercaseServer against socat and a plain socket. */
@Timeout(60)
class UppercaseServerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private EventBase base;
    private UppercaseServer server;

    @BeforeEach
    void start() {
        base = EventBase.create();
        base.start();
        server = new UppercaseServer(base, Args.loopback(0));
    }

    @AfterEach
    void stop() {
        server.close();
        base.free();
    }

    @Test
    void linesComeBackUpperCasedAndTheRestAtEof() throws Exception {
        Peers.require("socat", "socat");
        String input = "hello\nWorld 42\r\nstraße\nno end of line";
        // -t: after its input ends socat waits this long for the server's EOF; the server closes first.
        Peers.Result socat = Peers.run(WAIT, input.getBytes(StandardCharsets.UTF_8),
                List.of("socat", "-t", "30", "STDIO", "TCP:127.0.0.1:" + server.localAddress().getPort()));
        assertThat(socat.exitCode()).as(socat.stderr()).isZero();
        assertThat(socat.out()).isEqualTo("HELLO\nWORLD 42\nSTRASSE\nNO END OF LINE");
    }

    @Test
    void manyLinesSplitAcrossReadsComeBackWholeAndInOrder() throws Exception {
        StringBuilder sent = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sent.append("line ").append(i).append(" abc\n");
            expected.append("LINE ").append(i).append(" ABC\n");
        }
        try (Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
            OutputStream os = s.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    os.write(sent.toString().getBytes(StandardCharsets.US_ASCII));
                    s.shutdownOutput();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = s.getInputStream();
            String received = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            writer.join();
            assertThat(received).isEqualTo(expected.toString());
        }
    }
}
