package dev.loomevent.loadtest;

import dev.loomevent.loadtest.report.MeterSnapshot;
import dev.loomevent.loadtest.target.EchoServer;
import dev.loomevent.loadtest.target.ServerMetrics;
import dev.loomevent.loadtest.target.Targets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The {@code serve} command: an echo server and its meters, driven through standard input.
 * <p>Main thread only.
 */
final class ServeLoop {
    private ServeLoop() {
    }

    static int serve(String kind, String host, int port, int threads) throws IOException {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (ServerMetrics metrics = new ServerMetrics();
             EchoServer server = Targets.startEchoServer(kind, new InetSocketAddress(host, port), threads)) {
            out.println("LISTENING " + server.address().getPort() + " " + ProcessHandle.current().pid());
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String cmd = line.trim();
                if (cmd.equals("quit")) {
                    break;
                }
                if (cmd.equals("metrics")) {
                    for (MeterSnapshot m : MeterSnapshot.of(metrics.registry())) {
                        out.println(m.toLine());
                    }
                    out.println("END");
                    out.flush();
                }
            }
        }
        return 0;
    }
}
