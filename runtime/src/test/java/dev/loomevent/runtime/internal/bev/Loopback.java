package dev.loomevent.runtime.internal.bev;

import dev.loomevent.api.AcceptCallback;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: a started base, a loopback listener, raw blocking client channels, and a way to
 * run code on the callback thread and wait for it. Loopback only.
 */
final class Loopback implements AutoCloseable {
    final EventBase base;

    Loopback(String name) {
        base = EventBase.create(EventBaseConfig.DEFAULT.withName(name));
        base.start();
    }

    static InetSocketAddress anyPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    Listener listen(AcceptCallback cb) {
        return Listener.bind(base, cb, null, EnumSet.of(ListenerOption.CLOSE_ON_FREE, ListenerOption.REUSEABLE), -1, anyPort());
    }

    static SocketChannel connect(SocketAddress address) {
        try {
            return SocketChannel.open(address);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code task} on the callback thread and returns its result (bounded wait). */
    <T> T call(Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        base.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    static void writeFully(SocketChannel ch, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    static byte[] readFully(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("EOF after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.array();
    }

    /** Waits (bounded, by yielding; no sleep) until {@code condition} holds. */
    static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.yield();
        }
    }

    /** A bufferevent over the server side of a fresh loopback connection, and the client side. */
    record Pair(dev.loomevent.api.Bufferevent bev, SocketChannel peer) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            peer.close();
        }
    }

    /** Connects a raw client and wraps the accepted side in a socket bufferevent with {@code options}. */
    Pair pair(java.util.Set<dev.loomevent.api.BevOption> options) throws Exception {
        try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open()) {
            server.bind(anyPort());
            SocketChannel peer = SocketChannel.open(server.getLocalAddress());
            SocketChannel accepted = server.accept();
            return new Pair(dev.loomevent.api.Bufferevent.socket(base, accepted, options), peer);
        }
    }

    @Override
    public void close() {
        base.free();
    }
}
