package dev.loomevent.loadtest.target;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

/** An echo server that flips one bit of the byte at {@code offset} of everything it echoes (over all connections). */
public final class CorruptingEchoServer extends JavaEchoServer {
    private final long offset;
    private final AtomicLong echoed = new AtomicLong();

    public CorruptingEchoServer(long offset) {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.offset = offset;
    }

    @Override
    protected void echo(SocketChannel ch, ByteBuffer data) throws IOException {
        long start = echoed.getAndAdd(data.remaining());
        if (offset >= start && offset < start + data.remaining()) {
            int i = data.position() + (int) (offset - start);
            data.put(i, (byte) (data.get(i) ^ 0x10));
        }
        super.echo(ch, data);
    }
}
