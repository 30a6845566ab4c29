package dev.loomevent.runtime.internal.buffer;

import dev.loomevent.api.EolStyle;
import dev.loomevent.api.EvbufferLine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Whole-chain operations on 1 MiB, loomevent against Netty in the same run:
 * moving a 1 MiB chain of 8 KiB segments to another buffer (evbuffer_add_buffer vs
 * {@link CompositeByteBuf#addFlattenedComponents}), and reading 1 MiB of 80-byte LF-terminated
 * lines one by one into byte arrays (evbuffer_readln vs indexOf + readBytes on a pooled ByteBuf).
 * <p>One benchmark thread per state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EvbufferChainBench {
    private static final int MIB = 1 << 20;
    private static final int SEGMENT = 8192;

    private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final SegmentPool pool = new SegmentPool(true, SEGMENT, 512);
    private ChainEvbuffer a;
    private ChainEvbuffer b;
    private CompositeByteBuf chain;
    private ChainEvbuffer lines;
    private ByteBuf nettyLines;
    private byte[] text;

    @Setup
    public void setup() {
        a = new ChainEvbuffer(new ReentrantLock(), pool);
        b = new ChainEvbuffer(new ReentrantLock(), pool);
        byte[] seg = new byte[SEGMENT];
        chain = alloc.compositeDirectBuffer(256);
        for (int i = 0; i < MIB / SEGMENT; i++) {
            a.add(seg);
            ByteBuf part = alloc.directBuffer(SEGMENT);
            part.writeBytes(seg);
            chain.addComponent(true, part);
        }
        StringBuilder sb = new StringBuilder(MIB);
        while (sb.length() + 80 <= MIB) {
            for (int i = 0; i < 79; i++) {
                sb.append((char) ('a' + i % 26));
            }
            sb.append('\n');
        }
        text = sb.toString().getBytes(StandardCharsets.US_ASCII);
        lines = new ChainEvbuffer(new ReentrantLock(), pool);
        nettyLines = alloc.directBuffer(text.length);
    }

    @TearDown
    public void tearDown() {
        a.free();
        b.free();
        lines.free();
        chain.release();
        nettyLines.release();
    }

    /** Moves the 1 MiB chain back and forth between two buffers. */
    @Benchmark
    public long addBuffer1MiB() {
        if (a.length() > 0) {
            b.addBuffer(a);
            return b.length();
        }
        a.addBuffer(b);
        return a.length();
    }

    /** Moves the 1 MiB composite's components into a new composite (the old one is consumed). */
    @Benchmark
    public int nettyAddFlattened1MiB() {
        CompositeByteBuf next = alloc.compositeDirectBuffer(256);
        next.addFlattenedComponents(true, chain);
        chain = next;
        return next.readableBytes();
    }

    /** Adds 1 MiB of text and reads it back line by line. */
    @Benchmark
    public void readln1MiB(Blackhole bh) {
        lines.add(text);
        EvbufferLine line;
        while ((line = lines.readln(EolStyle.LF)) != null) {
            bh.consume(line);
        }
    }

    /** Netty: writes 1 MiB of text and reads it back line by line. */
    @Benchmark
    public void nettyReadln1MiB(Blackhole bh) {
        ByteBuf buf = nettyLines;
        buf.clear();
        buf.writeBytes(text);
        while (true) {
            int r = buf.readerIndex();
            int eol = buf.indexOf(r, buf.writerIndex(), (byte) '\n');
            if (eol < 0) {
                break;
            }
            byte[] line = new byte[eol - r];
            buf.readBytes(line);
            buf.skipBytes(1);
            bh.consume(line);
        }
    }
}
