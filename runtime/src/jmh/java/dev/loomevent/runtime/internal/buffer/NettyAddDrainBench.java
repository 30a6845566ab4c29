package dev.loomevent.runtime.internal.buffer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Netty doing what {@link EvbufferAddDrainBench} does: a pooled direct part per message added to a
 * {@link CompositeByteBuf} and skipped (the chain model), and one pooled direct {@link ByteBuf}
 * written and skipped (Netty's usual cumulation buffer).
 * <p>One benchmark thread per state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NettyAddDrainBench {
    @Param({"64", "16384"})
    int size;

    private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private CompositeByteBuf composite;
    private ByteBuf plain;
    private byte[] msg;

    @Setup
    public void setup() {
        composite = alloc.compositeDirectBuffer(64);
        plain = alloc.directBuffer(size);
        msg = new byte[size];
        Arrays.fill(msg, (byte) 'x');
    }

    @TearDown
    public void tearDown() {
        composite.release();
        plain.release();
    }

    @Benchmark
    public int compositeAddDrain() {
        ByteBuf part = alloc.directBuffer(size);
        part.writeBytes(msg);
        composite.addComponent(true, part);
        composite.skipBytes(size);
        composite.discardReadComponents();
        return composite.readableBytes();
    }

    @Benchmark
    public int byteBufAddDrain() {
        plain.writeBytes(msg);
        plain.skipBytes(size);
        plain.discardReadBytes();
        return plain.readableBytes();
    }
}
