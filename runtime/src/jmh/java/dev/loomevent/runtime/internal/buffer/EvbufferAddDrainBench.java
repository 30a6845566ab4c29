package dev.loomevent.runtime.internal.buffer;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 * One message added to an empty evbuffer and drained again: the steady state of a connection
 * whose reader keeps up. Direct and heap segments; compare with {@link NettyAddDrainBench}.
 * <p>One benchmark thread per state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EvbufferAddDrainBench {
    @Param({"64", "16384"})
    int size;

    @Param({"direct", "heap"})
    String storage;

    private ChainEvbuffer buf;
    private byte[] msg;

    @Setup
    public void setup() {
        SegmentPool pool = new SegmentPool("direct".equals(storage), SegmentPool.DEFAULT_SEGMENT_SIZE, 64);
        buf = new ChainEvbuffer(new ReentrantLock(), pool);
        msg = new byte[size];
        Arrays.fill(msg, (byte) 'x');
    }

    @TearDown
    public void tearDown() {
        buf.free();
    }

    @Benchmark
    public long addDrain() {
        buf.add(msg);
        buf.drain(size);
        return buf.length();
    }
}
