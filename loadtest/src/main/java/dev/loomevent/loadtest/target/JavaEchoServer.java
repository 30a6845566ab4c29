package dev.loomevent.loadtest.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plainest echo server: one virtual thread per connection, blocking read then write. A baseline,
 * and the target the harness's own tests use, because it needs nothing but the JDK.
 * <p>Any thread.
 */
public class JavaEchoServer implements EchoServer {
    private final ServerSocketChannel server;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    /**
     * Starts the server on {@code address} (port 0: any free port).
     *
     * @throws UncheckedIOException if it cannot bind
     */
    public JavaEchoServer(InetSocketAddress address) {
        try {
            server = ServerSocketChannel.open();
            server.bind(address, 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
        acceptor = Thread.ofVirtual().name("java-echo-accept").start(this::accept);
    }

    @Override
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                connections.add(ch);
                Thread.ofVirtual().name("java-echo-conn").start(() -> serve(ch));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        ByteBuffer buf = ByteBuffer.allocate(16384);
        try (ch) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                echo(ch, buf);
                buf.clear();
            }
        } catch (IOException e) {
            // the peer went away; nothing to do for an echo server
        } finally {
            connections.remove(ch);
        }
    }

    /**
     * Writes back what was read. Subclasses (test targets) may change or delay the bytes.
     *
     * @param ch   the connection
     * @param data the bytes just read, ready to be written
     * @throws IOException if writing fails
     */
    protected void echo(SocketChannel ch, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            ch.write(data);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (SocketChannel ch : connections) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
