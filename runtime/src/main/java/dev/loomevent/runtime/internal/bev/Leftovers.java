package dev.loomevent.runtime.internal.bev;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bytes that a reader thread took from a channel after its bufferevent let go of the channel
 * without closing it ({@code free()} without CLOSE_ON_FREE, {@code setChannel}). A reader blocked
 * in a read cannot be stopped without closing the channel, so when it wakes with bytes it parks
 * them here, and the channel's next socket bufferevent puts them in front of its input.
 * <p>Any thread; guarded by {@link #LOCK}. Weak keys: a channel nobody uses any more takes its
 * leftovers with it.
 */
final class Leftovers {
    /** Guards {@link #BYTES}. */
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Map<SocketChannel, ByteBuffer> BYTES = new WeakHashMap<>();
    /** volatile: lets every reader's check cost one read while nothing is left over (the usual case). */
    private static volatile int count;

    private Leftovers() {
    }

    /** Appends the remaining bytes of {@code src} to what {@code channel} has left over. */
    static void put(SocketChannel channel, ByteBuffer src) {
        if (!src.hasRemaining()) {
            return;
        }
        LOCK.lock();
        try {
            ByteBuffer old = BYTES.get(channel);
            int oldLen = old == null ? 0 : old.remaining();
            ByteBuffer b = ByteBuffer.allocate(oldLen + src.remaining());
            if (old != null) {
                b.put(old);
            }
            b.put(src).flip();
            BYTES.put(channel, b);
            count = BYTES.size();
        } finally {
            LOCK.unlock();
        }
    }

    /** Returns whether {@code channel} has bytes left over (for diagnostics and tests). */
    static boolean has(SocketChannel channel) {
        if (count == 0) {
            return false;
        }
        LOCK.lock();
        try {
            return BYTES.containsKey(channel);
        } finally {
            LOCK.unlock();
        }
    }

    /** Removes and returns what {@code channel} has left over, or null. */
    static ByteBuffer take(SocketChannel channel) {
        if (count == 0) {
            return null;
        }
        LOCK.lock();
        try {
            ByteBuffer b = BYTES.remove(channel);
            count = BYTES.size();
            return b;
        } finally {
            LOCK.unlock();
        }
    }
}
