package dev.loomevent.runtime.internal.bev;

import dev.loomevent.api.Evbuffer;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's access to a bufferevent's evbuffers: creation, and the two operations that cross a
 * frozen end (libevent's {@code evbuffer_unfreeze}/{@code evbuffer_freeze} around
 * {@code evbuffer_read}/{@code evbuffer_write_atmost}). Kept in one place so that the I/O threads
 * do not depend on how the evbuffer is built.
 * <p>Any thread; callers hold the bufferevent's lock, which makes the unfreeze/change/freeze
 * sequence atomic with respect to user code.
 */
final class BevBuffers {
    private BevBuffers() {
    }

    /** Creates an empty buffer for a bufferevent whose lock is {@code lock}. */
    static Evbuffer create(ReentrantLock lock) {
        return Evbuffer.create();
    }

    /** Appends the remaining bytes of {@code src} to {@code input} past its frozen end; returns how many. */
    static int append(Evbuffer input, ByteBuffer src) {
        int n = src.remaining();
        input.lock();
        try {
            input.unfreeze(false);
            try {
                input.add(src);
            } finally {
                input.freeze(false);
            }
        } finally {
            input.unlock();
        }
        return n;
    }

    /** Moves up to {@code dst.remaining()} bytes from the frozen front of {@code output} into {@code dst}. */
    static int take(Evbuffer output, ByteBuffer dst) {
        output.lock();
        try {
            output.unfreeze(true);
            try {
                return output.remove(dst);
            } finally {
                output.freeze(true);
            }
        } finally {
            output.unlock();
        }
    }
}
