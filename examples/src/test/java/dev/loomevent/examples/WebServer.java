package dev.loomevent.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK's {@code jwebserver} serving a directory on loopback: a real HTTP origin for the client and
 * proxy examples. Skips the test when the JDK has none.
 * <p>Any thread.
 */
final class WebServer implements AutoCloseable {
    private static final Pattern PORT = Pattern.compile("Serving .* on 127\\.0\\.0\\.1 port (\\d+)");

    private final Child process;
    private final int port;

    private WebServer(Child process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code jwebserver} on 127.0.0.1 and an ephemeral port, serving {@code root}. */
    static WebServer serve(Path root) throws IOException, InterruptedException {
        Path tool = Peers.jdkTool("jwebserver");
        Child child = Child.start(List.of(tool.toString(), "-b", "127.0.0.1", "-p", "0", "-d", root.toAbsolutePath().toString()));
        try {
            Matcher m = PORT.matcher(child.await(line -> PORT.matcher(line).find(), Duration.ofSeconds(30)));
            if (!m.find()) {
                throw new IllegalStateException("no port in jwebserver's banner");
            }
            return new WebServer(child, Integer.parseInt(m.group(1)));
        } catch (RuntimeException | Error e) {
            child.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** Waits for jwebserver to log a request whose line contains {@code requestLine}. */
    String awaitLogged(String requestLine) throws InterruptedException {
        return process.await(line -> line.contains(requestLine), Duration.ofSeconds(30));
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
