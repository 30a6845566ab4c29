package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HttpClient against the JDK's jwebserver, a name that does not resolve, and a closed port. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpClientTest {

    @Test
    void fetchesAPageFromJwebserverAndPrintsItUntilTheServerCloses(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hello from the origin\n");
        try (WebServer origin = WebServer.serve(root)) {
            Lines printed = new Lines();
            int code = HttpClient.fetch(null, "localhost", origin.port(), "/hello.txt", printed.printStream());
            assertThat(code).isZero();
            assertThat(printed.text())
                    .startsWith("Connect okay.\nHTTP/1.1 200 OK\r\n")
                    .containsIgnoringCase("\r\nContent-length: 22\r\n")
                    .endsWith("\r\n\r\nhello from the origin\nClosing\n");
            assertThat(origin.awaitLogged("\"GET /hello.txt HTTP/1.0\" 200")).isNotEmpty();
        }
    }

    @Test
    void reportsADnsErrorForANameThatDoesNotResolve() throws Exception {
        Lines printed = new Lines();
        // .invalid never resolves (RFC 2606), with or without a network.
        int code = HttpClient.fetch(null, "no-such-host.invalid", 80, "/", printed.printStream());
        assertThat(code).isEqualTo(1);
        assertThat(printed.text()).isEqualTo("DNS error: Name or service not known\nClosing\n");
    }

    @Test
    void aRefusedConnectionIsAnErrorButNotADnsError() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }
        Lines printed = new Lines();
        int code = HttpClient.fetch(null, "127.0.0.1", port, "/", printed.printStream());
        assertThat(code).isEqualTo(1);
        assertThat(printed.lines()).hasSize(2).last().isEqualTo("Closing");
        assertThat(printed.lines().get(0)).startsWith("Error: ").containsIgnoringCase("refused");
    }

    @Test
    void withoutTwoArgumentsItPrintsItsSyntax() throws Exception {
        Lines printed = new Lines();
        assertThat(HttpClient.run(new String[] {"localhost"}, printed.printStream())).isEqualTo(2);
        assertThat(printed.lines()).first().isEqualTo("Trivial HTTP 0.x client");
    }
}
