package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ConnectAndReport against a listening and a closed loopback port. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectAndReportTest {

    @Test
    void reportsConnectedWhenSomethingListens() throws Exception {
        Lines printed = new Lines();
        try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(peer.getLocalPort());
            int code = ConnectAndReport.run(new String[] {"127.0.0.1", port}, printed.printStream());
            try (Socket accepted = peer.accept()) {
                assertThat(accepted.getInetAddress().isLoopbackAddress()).isTrue();
            }
            assertThat(code).isZero();
            assertThat(printed.text()).isEqualTo("CONNECTED to 127.0.0.1:" + port + "\n");
        }
    }

    @Test
    void reportsTheErrorWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }
        Lines printed = new Lines();
        int code = ConnectAndReport.run(new String[] {"127.0.0.1", Integer.toString(port)}, printed.printStream());
        assertThat(code).isEqualTo(1);
        assertThat(printed.lines()).singleElement().asString()
                .startsWith("ERROR connecting to 127.0.0.1:" + port + ": ")
                .containsIgnoringCase("refused");
    }
}
