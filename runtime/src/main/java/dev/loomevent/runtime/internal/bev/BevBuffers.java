package dev.loomevent.runtime.internal.bev;

import dev.loomevent.runtime.internal.buffer.ChainEvbuffer;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's access to a bufferevent's evbuffers: creation with the bufferevent's lock, and the
 * append that crosses the input's frozen end (libevent's {@code evbuffer_unfreeze} /
 * {@code evbuffer_freeze} around {@code evbuffer_read}). Bulk reads and all writes use
 * {@link ChainEvbuffer#readFrom} and {@link ChainEvbuffer#writeTo}, which ignore the freeze.
 * <p>Any thread; callers hold the bufferevent's lock (the buffers share it), which makes the
 * unfreeze/add/freeze sequence atomic with respect to user code.
 */
final class BevBuffers {
    private BevBuffers() {
    }

    /** Creates an empty buffer guarded by the bufferevent's {@code lock}. */
    static ChainEvbuffer create(ReentrantLock lock) {
        return new ChainEvbuffer(lock);
    }

    /** Appends the remaining bytes of {@code src} to {@code input} past its frozen end; returns how many. Lock held. */
    static int append(ChainEvbuffer input, ByteBuffer src) {
        int n = src.remaining();
        input.unfreeze(false);
        try {
            input.add(src);
        } finally {
            input.freeze(false);
        }
        return n;
    }
}
