package dev.loomevent.runtime.internal.buffer;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The floor under an evbuffer's add+drain of a small message: what the two uncontended lock
 * acquisitions alone cost (the API makes add and drain each atomic), and the same with a 64-byte
 * copy into a direct buffer. Read beside {@link EvbufferAddDrainBench} and {@link NettyAddDrainBench}.
 * <p>One benchmark thread per state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LockFloorBench {
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer direct = ByteBuffer.allocateDirect(8192);
    private final byte[] msg = new byte[64];
    private long length;

    /** Two lock/unlock pairs around nothing but a counter: the locking an add+drain cannot avoid. */
    @Benchmark
    public long twoLockPairs() {
        lock.lock();
        try {
            length += 64;
        } finally {
            lock.unlock();
        }
        lock.lock();
        try {
            length -= 64;
        } finally {
            lock.unlock();
        }
        return length;
    }

    /** The two lock pairs plus the 64-byte copy into direct memory. */
    @Benchmark
    public long twoLockPairsAndCopy() {
        lock.lock();
        try {
            direct.put(0, msg, 0, 64);
            length += 64;
        } finally {
            lock.unlock();
        }
        lock.lock();
        try {
            length -= 64;
        } finally {
            lock.unlock();
        }
        return length;
    }
}
