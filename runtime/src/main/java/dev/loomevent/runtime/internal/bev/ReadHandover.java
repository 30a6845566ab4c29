package dev.loomevent.runtime.internal.bev;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Hands the reading of a channel from one socket bufferevent to the next when the first lets go of
 * the channel without closing it ({@code free()} without CLOSE_ON_FREE, {@code setChannel}).
 * <p>A reader blocked in a read cannot be stopped without closing the channel. Such a reader is
 * marked <em>stale</em> here when its bufferevent lets go; when it wakes (with bytes, an error or
 * EOF) it leaves what it read and ends. The channel's next reader waits, parked, until no stale
 * reader of the channel is left, then puts the left bytes (and a left error) in front of what it
 * reads itself. One reader at a time is in a read of the channel, so no byte can be overtaken,
 * and none waits for the next bytes the peer sends (which libevent, whose bytes stay in the
 * kernel, never does either) — except when the next reader started before the old one turned
 * stale: it is then already in a read of its own, and takes what the old one left after that read
 * (docs/differences-from-libevent.md).
 * <p>Any thread; guarded by {@link #LOCK}. Weak keys: a channel nobody uses any more takes its
 * entry with it. Nothing here is on a message's path: readers look here when they start and when
 * they end, and after a read, and take the lock only while their own channel has an entry.
 */
final class ReadHandover {
    /** Guards {@link #ENTRIES}. */
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Map<SocketChannel, Entry> ENTRIES = new WeakHashMap<>();
    /**
     * Identity hashes of the channels with an entry (one of a collected channel may linger until
     * the next change): a reader looks in {@link #ENTRIES}, under the lock, only when its channel's
     * hash is here, so a handover that never ends (a stale reader on an idle channel) costs the
     * other connections one volatile read, never the lock. volatile: read without the lock.
     */
    private static volatile int[] keys = new int[0];

    /** What a channel's earlier readers left: bytes in [position, limit) and the error after them, if any. */
    record Left(ByteBuffer bytes, IOException error) {
    }

    private static final class Entry {
        /** Readers that may still be in a read of the channel. */
        final List<Thread> stale = new ArrayList<>(1);
        /** Readers waiting for {@link #stale} to empty. */
        final List<Thread> waiting = new ArrayList<>(1);
        ByteBuffer bytes;
        IOException error;

        boolean unused() {
            return stale.isEmpty() && waiting.isEmpty() && bytes == null && error == null;
        }
    }

    private ReadHandover() {
    }

    /** {@code reader}'s bufferevent let go of {@code channel}; the reader may still be in a read of it. */
    static void stale(SocketChannel channel, Thread reader) {
        LOCK.lock();
        try {
            entry(channel).stale.add(reader);
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * A stale reader ends: {@code bytes}' remaining bytes, then {@code error} if not null, go to the
     * channel's next reader, which may go on once no stale reader is left. Bytes and error may be
     * empty and null (the channel closed, or nothing was read). Called by the reader itself.
     */
    static void release(SocketChannel channel, ByteBuffer bytes, ByteBuffer more, IOException error) {
        boolean nothing = (bytes == null || !bytes.hasRemaining()) && (more == null || !more.hasRemaining()) && error == null;
        if (nothing && !mayHave(channel)) {
            return;
        }
        Thread me = Thread.currentThread();
        LOCK.lock();
        try {
            Entry e = ENTRIES.get(channel);
            if (e == null) {
                if (nothing) {
                    return;
                }
                // Not marked stale (nothing else can be waiting for it), but what it read is kept.
                e = entry(channel);
            }
            e.bytes = append(append(e.bytes, bytes), more);
            if (error != null && e.error == null) {
                e.error = error;
            }
            e.stale.remove(me);
            if (e.stale.isEmpty()) {
                for (Thread t : e.waiting) {
                    LockSupport.unpark(t);
                }
            }
            forgetIfUnused(channel, e);
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Called by a reader before its first read: waits until no other reader of {@code channel} can
     * be in a read of it, or until {@code stop} says this reader must end (the reader's thread is
     * unparked then). Returns what earlier readers left (taking it), or null.
     */
    static Left awaitTurn(SocketChannel channel, BooleanSupplier stop) {
        if (!mayHave(channel)) {
            return null;
        }
        Thread me = Thread.currentThread();
        LOCK.lock();
        try {
            Entry e = ENTRIES.get(channel);
            if (e == null) {
                return null;
            }
            e.waiting.add(me);
            try {
                while (othersStale(e, me)) {
                    if (stop.getAsBoolean()) {
                        return null;
                    }
                    LOCK.unlock();
                    try {
                        LockSupport.park(ReadHandover.class);
                    } finally {
                        LOCK.lock();
                    }
                }
            } finally {
                e.waiting.remove(me);
            }
            return takeLocked(channel, e);
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Removes and returns what {@code channel}'s earlier readers left, or null: for a reader that
     * started beside one that became stale later (two bufferevents on one channel at once).
     */
    static Left take(SocketChannel channel) {
        if (!mayHave(channel)) {
            return null;
        }
        LOCK.lock();
        try {
            Entry e = ENTRIES.get(channel);
            return e == null ? null : takeLocked(channel, e);
        } finally {
            LOCK.unlock();
        }
    }

    /** Returns whether {@code channel} has bytes or an error left over (for tests). */
    static boolean has(SocketChannel channel) {
        return test(channel, e -> e.bytes != null || e.error != null);
    }

    /** Returns whether a stale reader of {@code channel} may still be in a read (for tests). */
    static boolean hasStale(SocketChannel channel) {
        return test(channel, e -> !e.stale.isEmpty());
    }

    private static boolean test(SocketChannel channel, java.util.function.Predicate<Entry> p) {
        if (!mayHave(channel)) {
            return false;
        }
        LOCK.lock();
        try {
            Entry e = ENTRIES.get(channel);
            return e != null && p.test(e);
        } finally {
            LOCK.unlock();
        }
    }

    private static boolean othersStale(Entry e, Thread me) {
        for (Thread t : e.stale) {
            if (t != me) {
                return true;
            }
        }
        return false;
    }

    private static Left takeLocked(SocketChannel channel, Entry e) {
        if (e.bytes == null && e.error == null) {
            return null;
        }
        Left left = new Left(e.bytes == null ? ByteBuffer.allocate(0) : e.bytes, e.error);
        e.bytes = null;
        e.error = null;
        forgetIfUnused(channel, e);
        return left;
    }

    private static Entry entry(SocketChannel channel) {
        Entry e = ENTRIES.get(channel);
        if (e == null) {
            e = new Entry();
            ENTRIES.put(channel, e);
            rebuildKeys();
        }
        return e;
    }

    private static void forgetIfUnused(SocketChannel channel, Entry e) {
        if (e.unused()) {
            ENTRIES.remove(channel);
            rebuildKeys();
        }
    }

    /** Returns whether {@code channel} may have an entry; false means it has none. Any thread, no lock. */
    private static boolean mayHave(SocketChannel channel) {
        int[] k = keys;
        if (k.length == 0) {
            return false;
        }
        int h = System.identityHashCode(channel);
        for (int x : k) {
            if (x == h) {
                return true;
            }
        }
        return false;
    }

    /** Lock held. */
    private static void rebuildKeys() {
        int[] k = new int[ENTRIES.size()];
        int i = 0;
        for (SocketChannel c : ENTRIES.keySet()) {
            if (i < k.length) {
                k[i++] = System.identityHashCode(c);
            }
        }
        keys = i == k.length ? k : java.util.Arrays.copyOf(k, i);
    }

    private static ByteBuffer append(ByteBuffer to, ByteBuffer src) {
        if (src == null || !src.hasRemaining()) {
            return to;
        }
        int old = to == null ? 0 : to.remaining();
        ByteBuffer b = ByteBuffer.allocate(old + src.remaining());
        if (to != null) {
            b.put(to);
        }
        b.put(src).flip();
        return b;
    }
}
