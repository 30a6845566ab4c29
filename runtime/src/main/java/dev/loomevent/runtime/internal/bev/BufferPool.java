package dev.loomevent.runtime.internal.bev;

import java.nio.ByteBuffer;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;

/**
 * Direct buffers that the I/O threads borrow for one bulk read or one write and give back at once,
 * so that no connection holds a large buffer while it is idle and a steady stream allocates
 * nothing. Direct, because a blocking channel copies heap buffers through a temporary direct one.
 * <p>Any thread: a bounded lock-free queue; when it is empty a new buffer is made, when it is full
 * a returned buffer is left to the garbage collector.
 */
final class BufferPool {
    /** Size of a pooled buffer: libevent's {@code MAX_SINGLE_READ_DEFAULT}/{@code WRITE_DEFAULT}. */
    static final int SIZE = 16384;
    private static final MpmcAtomicArrayQueue<ByteBuffer> POOL = new MpmcAtomicArrayQueue<>(256);

    private BufferPool() {
    }

    /** Borrows a cleared buffer of {@link #SIZE} bytes. */
    static ByteBuffer take() {
        ByteBuffer b = POOL.relaxedPoll();
        if (b == null) {
            return ByteBuffer.allocateDirect(SIZE);
        }
        b.clear();
        return b;
    }

    /** Gives {@code b} back. */
    static void release(ByteBuffer b) {
        POOL.relaxedOffer(b);
    }
}
