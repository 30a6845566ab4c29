package dev.loomevent.runtime.internal.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;

/**
 * One link of an evbuffer's chain: readable bytes {@code [start, end)} of {@link #buf}, free space
 * {@code [end, limit)} after them and free space {@code [0, start)} before them (libevent's
 * {@code misalign}).
 * <pre>
 *   0 ........ start ======== end ........ limit      (= buf.capacity() for writable segments)
 *      prepend room   readable    append room
 * </pre>
 * <p>Guarded by the lock of the evbuffer whose chain holds it; a segment is in at most one chain.
 * The storage may be shared with other segments (add_buffer_reference) through {@link #parent};
 * only {@link #refs} is touched by several buffers, atomically.
 * <p>Kinds: a <em>pooled</em> segment (storage from a {@link SegmentPool}, recycled), an
 * <em>owned</em> one (exact-size storage for a large pullup, left to the GC), a <em>reference</em>
 * (caller memory with a cleanup, immutable), a <em>view</em> (immutable window on another segment's
 * storage) and a <em>file</em> segment (bytes of a {@link FileChannel} not yet read; {@code buf}
 * is null).
 */
final class Segment {
    private static final AtomicIntegerFieldUpdater<Segment> REFS =
            AtomicIntegerFieldUpdater.newUpdater(Segment.class, "refs");
    private static final AtomicIntegerFieldUpdater<Segment> FLIGHTS =
            AtomicIntegerFieldUpdater.newUpdater(Segment.class, "flights");
    private static final AtomicIntegerFieldUpdater<Segment> CLEANUP_DEFERRED =
            AtomicIntegerFieldUpdater.newUpdater(Segment.class, "cleanupDeferred");

    /** Where pooled storage goes back to; null for other kinds. */
    final SegmentPool pool;
    /**
     * The bytes; absolute indexing only. Pooled and referenced storage is in native order, so the
     * word-at-a-time scans load words without a byte swap (they read either order). Null for a
     * file segment.
     */
    ByteBuffer buf;
    int start;
    int end;
    /** End of the space that may be written; equals {@link #end} for immutable segments. */
    int limit;
    /** Never written into (reference, view, file): appends and prepends go to new segments. */
    boolean immutable;
    Segment next;

    /**
     * Owners of this segment's storage: the chain holding it plus each view made from it. Storage
     * goes back to the pool (or the reference cleanup runs) when it drops to 0. Touched by the
     * locks of several buffers, hence atomic.
     */
    private volatile int refs = 1;
    /** For a view: the segment whose storage it shows. */
    Segment parent;
    /** For a reference: what the caller gave, handed back to {@link #cleanup}. */
    ByteBuffer original;
    Consumer<ByteBuffer> cleanup;

    /** For a file segment: the channel, owned, and the file position of {@link #start}. */
    FileChannel file;
    long fileOffset;
    long fileLength;

    /** A duplicate of {@link #buf} for I/O and views, made once per storage. */
    private ByteBuffer ioView;
    /**
     * Writes sending from this storage outside a lock (several buffers may hold views of it, each
     * with its writer): while any is under way the storage must not be recycled or handed back to
     * its owner's cleanup, even if every segment showing it is released (pullup, free).
     */
    private volatile int flights;
    /** A reference's cleanup waits for the flights to end: 1 while it does. */
    private volatile int cleanupDeferred;

    Segment(SegmentPool pool, ByteBuffer storage) {
        this.pool = pool;
        this.buf = storage;
        this.limit = storage.capacity();
    }

    private Segment() {
        this.pool = null;
    }

    static Segment owned(ByteBuffer storage) {
        return new Segment(null, storage);
    }

    static Segment reference(ByteBuffer data, Consumer<ByteBuffer> cleanup) {
        Segment s = new Segment();
        s.buf = data.duplicate().order(ByteOrder.nativeOrder());
        s.start = data.position();
        s.end = data.limit();
        s.limit = s.end;
        s.immutable = true;
        s.original = data;
        s.cleanup = cleanup;
        return s;
    }

    static Segment file(FileChannel channel, long offset, long length) {
        Segment s = new Segment();
        s.file = channel;
        s.fileOffset = offset;
        s.fileLength = length;
        s.immutable = true;
        return s;
    }

    /** Returns an immutable window {@code [from, to)} on this segment's bytes, sharing storage. */
    Segment view(int from, int to) {
        Segment owner = storage();
        REFS.incrementAndGet(owner);
        Segment v = new Segment();
        v.buf = owner.buf;
        v.start = from;
        v.end = to;
        v.limit = to;
        v.immutable = true;
        v.parent = owner;
        return v;
    }

    boolean isFile() {
        return file != null;
    }

    /** Readable bytes: for a file segment, those not yet sent. */
    long readable() {
        return file != null ? fileLength : end - start;
    }

    int writable() {
        return immutable ? 0 : limit - end;
    }

    /** Whether the storage is also visible through other segments (so it must not be rewritten in place). */
    boolean shared() {
        return parent != null || refs != 1;
    }

    /** Returns {@link #buf}'s I/O duplicate set to {@code [from, to)}; no allocation after the first call. */
    ByteBuffer ioView(int from, int to) {
        ByteBuffer v = ioView;
        if (v == null) {
            v = buf.duplicate();
            ioView = v;
        }
        v.limit(v.capacity()).position(from).limit(to);
        return v;
    }

    /** Reads the whole file range into memory; returns the bytes as an owned heap segment chain piece. */
    ByteBuffer readFile() {
        if (fileLength > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("file segment of " + fileLength + " bytes is too large to read into memory");
        }
        ByteBuffer dst = ByteBuffer.allocate((int) fileLength);
        try {
            long pos = fileOffset;
            while (dst.hasRemaining()) {
                int n = file.read(dst, pos);
                if (n < 0) {
                    throw new IllegalStateException("file ended " + dst.remaining() + " bytes before the added range");
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading file segment", e);
        }
        return dst.flip();
    }

    /**
     * Drops the chain's ownership. Pooled storage is recycled, a reference's cleanup runs and a file
     * closes when no owner is left. Caller holds the lock of the buffer that held it.
     */
    void release() {
        if (parent != null) {
            Segment p = parent;
            parent = null;
            buf = null;
            p.unref();
            return;
        }
        unref();
    }

    private void unref() {
        // refs == 1 means no view is left, and none can appear: views are made under the lock of
        // the buffer holding this segment, which the caller holds or which already let go.
        if (refs != 1 && REFS.decrementAndGet(this) != 0) {
            return;
        }
        if (file != null) {
            closeFile();
        } else if (cleanup != null) {
            if (flights > 0) {
                // A writer still sends these bytes: the last flight runs the cleanup. Published
                // before flights is read again, so that one of the two sides sees the other.
                CLEANUP_DEFERRED.set(this, 1);
                if (flights > 0 || !CLEANUP_DEFERRED.compareAndSet(this, 1, 0)) {
                    return;
                }
            }
            runCleanup();
        } else if (pool != null && flights == 0) {
            // In flight: left to the GC rather than recycled under the writer.
            pool.recycle(this);
        }
    }

    private void runCleanup() {
        Consumer<ByteBuffer> c = cleanup;
        cleanup = null;
        if (c != null) {
            SegmentPool.runCleanup(c, original);
        }
    }

    /** Returns the segment that owns this one's storage: its parent for a view, else itself. */
    Segment storage() {
        return parent != null ? parent : this;
    }

    /** A write starts sending from this storage outside the lock. Called on {@link #storage()}. */
    void beginFlight() {
        FLIGHTS.incrementAndGet(this);
    }

    /** That write ended; the last one runs a cleanup the release deferred. */
    void endFlight() {
        if (FLIGHTS.decrementAndGet(this) == 0 && cleanupDeferred != 0 && CLEANUP_DEFERRED.compareAndSet(this, 1, 0)) {
            runCleanup();
        }
    }

    private void closeFile() {
        FileChannel f = file;
        file = null;
        try {
            f.close();
        } catch (IOException e) {
            System.getLogger(Segment.class.getName()).log(System.Logger.Level.WARNING, "closing an evbuffer file segment", e);
        }
    }

    /** Whether this pooled segment could be emptied and written again by its holder right now. */
    boolean reusableInPlace() {
        return pool != null && parent == null && refs == 1 && flights == 0;
    }

    /** Makes a recycled (or kept) segment empty and solely owned again. */
    void reset() {
        start = 0;
        end = 0;
        limit = buf.capacity();
        next = null;
        // The pool's queue orders this before the next owner's use; no full fence needed.
        REFS.lazySet(this, 1);
        FLIGHTS.lazySet(this, 0);
    }
}
