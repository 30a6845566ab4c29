package dev.loomevent.runtime.internal.buffer;

import dev.loomevent.api.EolStyle;
import dev.loomevent.api.Evbuffer;
import dev.loomevent.api.EvbufferCallback;
import dev.loomevent.api.EvbufferCbInfo;
import dev.loomevent.api.EvbufferLine;
import dev.loomevent.api.EvbufferPtr;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.PtrHow;
import dev.loomevent.runtime.internal.base.CallbackScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The runtime's {@link Evbuffer}: a singly linked chain of {@link Segment}s taken from a
 * {@link SegmentPool}.
 * <pre>
 *   first -> seg -> seg -> ... -> last        no empty segment in the chain; empty buffer: no segment
 *            [start,end) readable; appends go into last's free space, then into new segments
 * </pre>
 * <p>Any thread; state guarded by {@link #lock}. The lock may be shared with a bufferevent and its
 * other buffer ({@link #ChainEvbuffer(ReentrantLock)}). Lock order when two buffers are involved
 * (add_buffer and friends): the buffer created first, then the other; a shared lock is taken once.
 * Memory consistency effects: actions of a thread before it adds bytes happen-before actions of
 * another thread after it removes, copies or sees those bytes (both take {@link #lock}; the
 * lock-free {@link #length()} reads with acquire what was written under it with release).
 * <p>Beyond the API, the socket bufferevent's threads use {@link #readFrom} (reader virtual thread:
 * blocking read into reserved space outside the lock) and {@link #writeTo} (writer virtual thread:
 * gathering write of the first segments outside the lock, file segments by
 * {@link FileChannel#transferTo}); both ignore the freeze flags, which bufferevents set against
 * their users.
 */
public final class ChainEvbuffer implements Evbuffer {

    /**
     * Told of every change synchronously, under the lock, before the user callbacks and never
     * deferred: how a bufferevent watches its buffers. Costs one null check when not set.
     */
    @FunctionalInterface
    public interface ChangeObserver {
        /** Called after {@code buffer} gained {@code added} and lost {@code deleted} bytes; lock held. */
        void changed(ChainEvbuffer buffer, long added, long deleted);
    }

    private static final AtomicLong IDS = new AtomicLong();
    private static final VarHandle LENGTH;

    static {
        try {
            LENGTH = MethodHandles.lookup().findVarHandle(ChainEvbuffer.class, "length", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private static final Entry[] NO_CALLBACKS = new Entry[0];
    private static final System.Logger LOG = System.getLogger(ChainEvbuffer.class.getName());
    /** Most segments one gathering write sends. */
    private static final int WRITE_VECS = 16;
    /** Most segments one scattering read fills. */
    private static final int READ_VECS = 8;
    /** A read into less free space than this takes a fresh segment instead. */
    private static final int MIN_READ_SPACE = 512;
    private static final long MAX_CONTIGUOUS = Integer.MAX_VALUE - 8;
    /**
     * Whether a buffer drained empty keeps its last segment for the next add (system property
     * {@code loomevent.evbuffer.keepSpare}, default false). Off, an empty buffer holds no segment,
     * as idle connections want; on, a steady add-then-drain stream skips the pool's two atomic
     * operations per message, at the price of one segment per buffer that ever held bytes
     * (measured in docs/benchmarks.md, section Evbuffer).
     */
    static final boolean KEEP_SPARE = Boolean.getBoolean("loomevent.evbuffer.keepSpare");
    /** Up to this many bytes are copied rather than shared when a reserved tail segment must move. */
    private static final int SPLIT_COPY_LIMIT = 1024;

    /** Orders the locking of two buffers. */
    private final long id = IDS.incrementAndGet();
    /** Guards everything below; recursive like libevent's evbuffer lock. */
    private final ReentrantLock lock;
    private final SegmentPool pool;

    private Segment first; // guarded by lock
    private Segment last; // guarded by lock
    /**
     * Guarded by lock for writes, which publish with release semantics ({@link #setLength}) so
     * that {@link #length()} can read it with acquire semantics and no lock: a thread that sees a
     * length also sees the bytes counted in it. (A full volatile store on every add and drain
     * measurably slowed the add+drain benchmark.)
     */
    private long length;
    private int fileSegments; // guarded by lock
    /** A segment expand() set aside for the next appends; not in the chain. Guarded by lock. */
    private Segment spare;
    private boolean frozenFront; // guarded by lock
    private boolean frozenEnd; // guarded by lock
    private boolean freed; // guarded by lock

    /*
     * The pending reservation (reserveSpace / readFrom), guarded by lock. resvSegs[0] may be the
     * chain's last segment, written past its end (resvInChain); the others are fresh segments
     * outside the chain. A drain that empties the in-chain one takes it out of the chain but keeps
     * it ("detached") so that the reserving thread, which may be writing into it outside the lock,
     * still commits into valid memory. Appends at the end cancel the reservation, as in libevent.
     */
    private Segment[] resvSegs;
    private ByteBuffer[] resvVecs;
    private int resvCount;
    private boolean resvInChain;
    private boolean resvDetached;

    private Entry[] callbacks = NO_CALLBACKS; // guarded by lock; copied on change
    private long cbAdded; // guarded by lock
    private long cbDeleted; // guarded by lock
    private CallbackScheduler deferTo; // guarded by lock
    private Runnable deferredRun; // guarded by lock
    private boolean deferredQueued; // guarded by lock
    private ChangeObserver observer; // guarded by lock

    private ByteBuffer[] writeVecs; // writer thread; guarded by lock while filled
    private ByteBuffer[] readVecs; // reader thread only
    private int[] readLens; // reader thread only
    private Segment[] writeSegs; // writer thread; guarded by lock while filled

    /** Scratch results of {@link #locate}, guarded by lock. */
    private Segment locSeg;
    private int locIdx;

    /** Creates an empty buffer with its own lock and the default pool. Any thread. */
    public ChainEvbuffer() {
        this(new ReentrantLock(), SegmentPool.DEFAULT);
    }

    /** Creates an empty buffer guarded by {@code lock} (shared with a bufferevent). Any thread. */
    public ChainEvbuffer(ReentrantLock lock) {
        this(lock, SegmentPool.DEFAULT);
    }

    /** Creates an empty buffer guarded by {@code lock}, taking segments from {@code pool}. Any thread. */
    public ChainEvbuffer(ReentrantLock lock, SegmentPool pool) {
        this.lock = Objects.requireNonNull(lock, "lock");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    // ---- internal hooks ------------------------------------------------------------------------

    /** Returns the lock guarding this buffer. Any thread. */
    public ReentrantLock lockHandle() {
        return lock;
    }

    /** Sets (or with null clears) the one internal change observer. Any thread. */
    public void setObserver(ChangeObserver observer) {
        lock.lock();
        try {
            this.observer = observer;
        } finally {
            lock.unlock();
        }
    }

    /** {@link #deferCallbacks(EventBase)} with the scheduler itself (tests use a fake one). Any thread. */
    public void deferCallbacks(CallbackScheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        lock.lock();
        try {
            deferTo = scheduler;
            if (deferredRun == null) {
                deferredRun = this::runDeferred;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns how many segments the chain holds (tests and diagnostics). Any thread. */
    public int segmentCount() {
        lock.lock();
        try {
            int n = 0;
            for (Segment s = first; s != null; s = s.next) {
                n++;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    // ---- size ----------------------------------------------------------------------------------

    @Override
    public long length() {
        return (long) LENGTH.getAcquire(this);
    }

    /** Lock held. */
    private void setLength(long n) {
        LENGTH.setRelease(this, n);
    }

    @Override
    public long contiguousSpace() {
        lock.lock();
        try {
            return first == null ? 0 : first.readable();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void expand(long n) {
        if (n < 0 || n > MAX_CONTIGUOUS) {
            throw new IllegalArgumentException("n must be in [0, " + MAX_CONTIGUOUS + "], was " + n);
        }
        lock.lock();
        try {
            if (n == 0 || (last != null && last.writable() >= n && !isReservedInChain(last))
                    || (spare != null && spare.writable() >= n)) {
                return;
            }
            if (spare != null) {
                spare.release();
            }
            spare = pool.acquire((int) n);
        } finally {
            lock.unlock();
        }
    }

    // ---- adding --------------------------------------------------------------------------------

    @Override
    public void add(byte[] data, int off, int len) {
        Objects.requireNonNull(data, "data");
        checkRange(off, len, data.length);
        lock.lock();
        try {
            checkEndNotFrozen();
            if (len == 0) {
                return;
            }
            cancelReservation();
            appendBytes(data, off, len);
            setLength(length + len);
            changed(len, 0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void add(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        lock.lock();
        try {
            checkEndNotFrozen();
            int len = src.remaining();
            if (len == 0) {
                return;
            }
            cancelReservation();
            appendBytes(src);
            setLength(length + len);
            changed(len, 0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long addAll(ByteBuffer... srcs) {
        Objects.requireNonNull(srcs, "srcs");
        for (int i = 0; i < srcs.length; i++) {
            if (srcs[i] == null) {
                throw new NullPointerException("srcs[" + i + "]");
            }
        }
        lock.lock();
        try {
            checkEndNotFrozen();
            long total = 0;
            for (ByteBuffer b : srcs) {
                total += b.remaining();
            }
            if (total == 0) {
                return 0;
            }
            cancelReservation();
            // Copy by index first, consume after: a buffer given twice is added twice, as the
            // same iovec twice is by evbuffer_add_iovec, and the length matches what is stored.
            for (ByteBuffer b : srcs) {
                appendBytes(b, b.position(), b.remaining());
            }
            for (ByteBuffer b : srcs) {
                b.position(b.limit());
            }
            setLength(length + total);
            changed(total, 0);
            return total;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int addPrintf(String format, Object... args) {
        Objects.requireNonNull(format, "format");
        lock.lock();
        try {
            checkEndNotFrozen();
            byte[] bytes = String.format(format, args).getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 0) {
                cancelReservation();
                appendBytes(bytes, 0, bytes.length);
                setLength(length + bytes.length);
                changed(bytes.length, 0);
            }
            return bytes.length;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void addBuffer(Evbuffer src) {
        ChainEvbuffer s = cast(src, "src");
        if (s == this) {
            return;
        }
        lockBoth(this, s);
        try {
            long n = s.length;
            if (n == 0) {
                return;
            }
            checkEndNotFrozen();
            s.checkFrontNotFrozen("src");
            moveAllFrom(s);
            s.changed(0, n);
            changed(n, 0);
        } finally {
            unlockBoth(this, s);
        }
    }

    /** Relinks all of {@code s}'s segments after ours; no callbacks. Both locks held, n > 0. */
    private void moveAllFrom(ChainEvbuffer s) {
        long n = s.length;
        cancelReservation();
        s.protectReservedTail();
        if (last == null) {
            first = s.first;
        } else {
            last.next = s.first;
        }
        last = s.last;
        fileSegments += s.fileSegments;
        setLength(length + n);
        s.first = null;
        s.last = null;
        s.fileSegments = 0;
        s.setLength(0);
    }

    @Override
    public void addBufferReference(Evbuffer src) {
        ChainEvbuffer s = cast(src, "src");
        if (s == this) {
            throw new IllegalArgumentException("src must not be this buffer");
        }
        lockBoth(this, s);
        try {
            long n = s.length;
            if (n == 0) {
                return;
            }
            checkEndNotFrozen();
            for (Segment seg = s.first; seg != null; seg = seg.next) {
                if (seg.isFile()) {
                    throw new IllegalArgumentException("src holds file segments, which cannot be referenced");
                }
            }
            cancelReservation();
            for (Segment seg = s.first; seg != null; seg = seg.next) {
                appendSegment(seg.view(seg.start, seg.end));
            }
            setLength(length + n);
            changed(n, 0);
        } finally {
            unlockBoth(this, s);
        }
    }

    @Override
    public void addReference(ByteBuffer data, Consumer<ByteBuffer> cleanup) {
        Objects.requireNonNull(data, "data");
        lock.lock();
        try {
            checkEndNotFrozen();
            int n = data.remaining();
            if (n == 0) {
                // No segment for no bytes: an empty buffer holds none. The bytes are "gone" already.
                if (cleanup != null) {
                    SegmentPool.runCleanup(cleanup, data);
                }
                return;
            }
            cancelReservation();
            appendSegment(Segment.reference(data, cleanup));
            setLength(length + n);
            changed(n, 0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void addFile(FileChannel file, long offset, long length) {
        Objects.requireNonNull(file, "file");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
        if (length < -1) {
            throw new IllegalArgumentException("length must be >= -1 (-1 = to the end of the file), was " + length);
        }
        long size;
        try {
            size = file.size();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the size of the file", e);
        }
        if (offset > size) {
            throw new IllegalArgumentException("offset " + offset + " is past the end of the file (" + size + " bytes)");
        }
        long n = length == -1 ? size - offset : length;
        if (n > size - offset) {
            throw new IllegalArgumentException("length " + length + " from offset " + offset
                    + " is past the end of the file (" + size + " bytes)");
        }
        lock.lock();
        try {
            checkEndNotFrozen();
            if (n == 0) {
                closeQuietly(file);
                return;
            }
            cancelReservation();
            appendSegment(Segment.file(file, offset, n));
            fileSegments++;
            setLength(this.length + n);
            changed(n, 0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void prepend(byte[] data, int off, int len) {
        Objects.requireNonNull(data, "data");
        checkRange(off, len, data.length);
        lock.lock();
        try {
            if (len == 0) {
                return;
            }
            checkFrontNotFrozen();
            int rest = len;
            Segment f = first;
            if (f != null && !f.immutable && !f.shared() && f.start > 0) {
                int k = Math.min(rest, f.start);
                f.buf.put(f.start - k, data, off + rest - k, k);
                f.start -= k;
                rest -= k;
            }
            if (rest > 0) {
                Segment s = pool.acquire(rest);
                int at = s.limit - rest;
                s.buf.put(at, data, off, rest);
                s.start = at;
                s.end = s.limit;
                s.next = first;
                first = s;
                if (last == null) {
                    last = s;
                }
            }
            setLength(length + len);
            changed(len, 0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void prependBuffer(Evbuffer src) {
        ChainEvbuffer s = cast(src, "src");
        if (s == this) {
            return;
        }
        lockBoth(this, s);
        try {
            long n = s.length;
            if (n == 0) {
                return;
            }
            checkFrontNotFrozen();
            s.checkFrontNotFrozen("src");
            s.protectReservedTail();
            if (first == null) {
                last = s.last;
            } else {
                s.last.next = first;
            }
            first = s.first;
            fileSegments += s.fileSegments;
            setLength(length + n);
            s.first = null;
            s.last = null;
            s.fileSegments = 0;
            s.setLength(0);
            s.changed(0, n);
            changed(n, 0);
        } finally {
            unlockBoth(this, s);
        }
    }

    // ---- removing and copying ------------------------------------------------------------------

    @Override
    public void drain(long len) {
        if (len < 0) {
            throw new IllegalArgumentException("len must be >= 0, was " + len);
        }
        lock.lock();
        try {
            long n = Math.min(len, length);
            if (length == 0) {
                return;
            }
            checkFrontNotFrozen();
            if (n == 0) {
                return;
            }
            dropFront(n);
            changed(0, n);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int remove(byte[] out, int off, int len) {
        Objects.requireNonNull(out, "out");
        checkRange(off, len, out.length);
        lock.lock();
        try {
            int n = (int) Math.min(len, length);
            if (n == 0) {
                return 0;
            }
            checkFrontNotFrozen();
            materialize(n);
            copyFront(out, off, n);
            dropFront(n);
            changed(0, n);
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int remove(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        lock.lock();
        try {
            int n = (int) Math.min(dst.remaining(), length);
            if (n == 0) {
                return 0;
            }
            checkFrontNotFrozen();
            materialize(n);
            copyFront(dst, n);
            dropFront(n);
            changed(0, n);
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int copyOut(byte[] out, int off, int len) {
        Objects.requireNonNull(out, "out");
        checkRange(off, len, out.length);
        lock.lock();
        try {
            int n = (int) Math.min(len, length);
            if (n == 0) {
                return 0;
            }
            checkFrontNotFrozen();
            materialize(n);
            copyFront(out, off, n);
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int copyOut(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        lock.lock();
        try {
            int n = (int) Math.min(dst.remaining(), length);
            if (n == 0) {
                return 0;
            }
            checkFrontNotFrozen();
            materialize(n);
            copyFront(dst, n);
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int copyOutFrom(EvbufferPtr pos, byte[] out, int off, int len) {
        Objects.requireNonNull(out, "out");
        checkRange(off, len, out.length);
        lock.lock();
        try {
            long p = position(pos, "pos");
            int n = (int) Math.min(len, length - p);
            if (n == 0) {
                return 0;
            }
            checkFrontNotFrozen();
            materialize(p + n);
            locate(p);
            copyFrom(locSeg, locIdx, out, off, n);
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long removeBuffer(Evbuffer dst, long len) {
        ChainEvbuffer d = cast(dst, "dst");
        if (len < 0) {
            throw new IllegalArgumentException("len must be >= 0, was " + len);
        }
        if (len == 0 || d == this) {
            return 0;
        }
        lockBoth(this, d);
        try {
            d.checkEndNotFrozen("dst");
            checkFrontNotFrozen();
            long total = length;
            if (total == 0) {
                return 0;
            }
            if (len >= total) {
                d.moveAllFrom(this);
                changed(0, total);
                d.changed(total, 0);
                return total;
            }
            d.cancelReservation();
            long moved = moveWholeSegments(d, len);
            long rest = len - moved;
            if (rest > 0) {
                materialize(rest);
                Segment f = first;
                int k = (int) rest;
                // By absolute index: the segment's shared I/O view may be in use by a reader
                // filling its reserved space outside the lock.
                d.appendBytes(f.buf, f.start, k);
                f.start += k;
                d.setLength(d.length + k);
                setLength(length - k);
            }
            d.changed(len, 0);
            changed(0, len);
            return len;
        } finally {
            unlockBoth(this, d);
        }
    }

    /**
     * Moves the front segments that fit wholly in {@code max} bytes (max &lt; length) to the end of
     * {@code d}; returns the bytes moved. Both locks held.
     */
    private long moveWholeSegments(ChainEvbuffer d, long max) {
        long moved = 0;
        Segment s = first;
        Segment prev = null;
        int files = 0;
        while (s != null && moved + s.readable() <= max) {
            moved += s.readable();
            if (s.isFile()) {
                files++;
            }
            prev = s;
            s = s.next;
        }
        if (prev == null) {
            return 0;
        }
        // s != null: the whole chain would exceed max < length.
        Segment movedFirst = first;
        prev.next = null;
        first = s;
        if (d.last == null) {
            d.first = movedFirst;
        } else {
            d.last.next = movedFirst;
        }
        d.last = prev;
        d.fileSegments += files;
        fileSegments -= files;
        d.setLength(d.length + moved);
        setLength(length - moved);
        return moved;
    }

    @Override
    public ByteBuffer pullup(long size) {
        lock.lock();
        try {
            long n = size < 0 ? length : size;
            if (n == 0 || n > length) {
                return null;
            }
            if (n > MAX_CONTIGUOUS) {
                throw new IllegalArgumentException("size " + size + " is too large for one contiguous view");
            }
            materialize(n);
            int k = (int) n;
            if (first.readable() < k) {
                makeContiguous(k);
            }
            return first.buf.slice(first.start, k).asReadOnlyBuffer();
        } finally {
            lock.unlock();
        }
    }

    /** Copies the first {@code n} bytes into the first segment (grown or new). Lock held; no file segment in range. */
    private void makeContiguous(int n) {
        Segment f = first;
        Segment target;
        Segment src;
        int need;
        if (!f.immutable && f.limit - f.start >= n) {
            target = f;
            src = f.next;
            need = n - (f.end - f.start);
        } else {
            target = pool.acquire(n);
            src = f;
            need = n;
        }
        while (need > 0) {
            int k = Math.min(src.end - src.start, need);
            target.buf.put(target.end, src.buf, src.start, k);
            target.end += k;
            need -= k;
            if (k == src.end - src.start) {
                Segment next = src.next;
                src.next = null;
                if (src == last) {
                    last = null;
                }
                releaseFromChain(src);
                src = next;
            } else {
                src.start += k;
            }
        }
        target.next = src;
        first = target;
        if (src == null) {
            last = target;
        }
    }

    @Override
    public EvbufferLine readln(EolStyle style) {
        Objects.requireNonNull(style, "style");
        lock.lock();
        try {
            checkFrontNotFrozen();
            if (length == 0) {
                return null;
            }
            if (style == EolStyle.LF && fileSegments == 0) {
                EvbufferLine fast = readlnLfInFirst();
                if (fast != null) {
                    return fast;
                }
            }
            materialize(length);
            long at = findEol(0, style);
            if (at < 0) {
                return null;
            }
            int eol = eolLen;
            if (at > MAX_CONTIGUOUS) {
                throw new IllegalStateException("line of " + at + " bytes is too long for a byte array");
            }
            byte[] line = new byte[(int) at];
            copyFront(line, 0, line.length);
            long n = at + eol;
            dropFront(n);
            changed(0, n);
            return new EvbufferLine(line, eol);
        } finally {
            lock.unlock();
        }
    }

    /**
     * readln(LF) when the whole line and its LF lie in the first segment, the usual case: one scan,
     * one copy, no position bookkeeping across segments. Returns null when the first segment holds
     * no LF (the general path then looks further). Lock held, buffer not empty, no file segments.
     */
    private EvbufferLine readlnLfInFirst() {
        Segment s = first;
        int hit = Scan.indexOf(s.buf, s.start, s.end, (byte) '\n');
        if (hit < 0) {
            return null;
        }
        byte[] line = new byte[hit - s.start];
        s.buf.get(s.start, line, 0, line.length);
        long n = line.length + 1L;
        dropFront(n);
        changed(0, n);
        return new EvbufferLine(line, 1);
    }

    // ---- searching -----------------------------------------------------------------------------

    @Override
    public EvbufferPtr ptrSet(EvbufferPtr pos, long offset, PtrHow how) {
        Objects.requireNonNull(how, "how");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
        lock.lock();
        try {
            long p;
            if (how == PtrHow.SET) {
                p = offset;
            } else {
                Objects.requireNonNull(pos, "pos");
                if (!pos.found()) {
                    throw new IllegalArgumentException("pos must be a found position, was " + pos);
                }
                p = pos.position() + offset;
                if (p < 0) {
                    return null;
                }
            }
            return p > length ? null : new EvbufferPtr(p);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public EvbufferPtr search(byte[] what, EvbufferPtr start) {
        return searchRange(what, start, null);
    }

    @Override
    public EvbufferPtr searchRange(byte[] what, EvbufferPtr start, EvbufferPtr end) {
        Objects.requireNonNull(what, "what");
        lock.lock();
        try {
            long from = position(start, "start");
            long to = end == null ? length : position(end, "end");
            if (what.length == 0) {
                return new EvbufferPtr(from); // libevent: an empty pattern is found where the search starts
            }
            if (to - from < what.length) {
                return EvbufferPtr.NOT_FOUND;
            }
            materialize(to);
            long at = find(what, from, to);
            return at < 0 ? EvbufferPtr.NOT_FOUND : new EvbufferPtr(at);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public EvbufferPtr searchEol(EvbufferPtr start, int[] eolLength, EolStyle style) {
        Objects.requireNonNull(style, "style");
        lock.lock();
        try {
            long from = position(start, "start");
            long at = -1;
            if (from < length) {
                materialize(length);
                at = findEol(from, style);
            }
            if (eolLength != null && eolLength.length > 0) {
                eolLength[0] = at < 0 ? 0 : eolLen;
            }
            return at < 0 ? EvbufferPtr.NOT_FOUND : new EvbufferPtr(at);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ByteBuffer[] peek(long len, EvbufferPtr start, int maxVecs) {
        if (maxVecs < 0) {
            throw new IllegalArgumentException("maxVecs must be >= 0, was " + maxVecs);
        }
        lock.lock();
        try {
            long from = position(start, "start");
            int count = Math.min(peekCountLocked(len, start, from), maxVecs);
            ByteBuffer[] out = new ByteBuffer[count];
            if (count == 0) {
                return out;
            }
            materialize(length);
            locate(from);
            Segment s = locSeg;
            int idx = locIdx;
            for (int i = 0; i < count; i++) {
                out[i] = s.buf.slice(idx, s.end - idx).asReadOnlyBuffer();
                s = s.next;
                idx = s == null ? 0 : s.start;
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int peekCount(long len, EvbufferPtr start) {
        lock.lock();
        try {
            return peekCountLocked(len, start, position(start, "start"));
        } finally {
            lock.unlock();
        }
    }

    /**
     * libevent's evbuffer_peek count: with a start position its segment always counts (even for
     * len 0); segments are added until {@code len} bytes are covered ({@code len < 0}: all).
     */
    private int peekCountLocked(long len, EvbufferPtr start, long from) {
        if (from >= length) {
            return 0;
        }
        long want = len < 0 ? length - from : len;
        int count = 0;
        long covered = 0;
        Segment s;
        if (start != null) {
            locate(from);
            covered = locSeg.readable() - (locIdx - locSeg.start);
            count = 1;
            s = locSeg.next;
        } else {
            s = first;
        }
        while (s != null && covered < want) {
            count++;
            covered += s.readable();
            s = s.next;
        }
        return count;
    }

    // ---- zero-copy filling ---------------------------------------------------------------------

    @Override
    public ByteBuffer[] reserveSpace(long size, int maxVecs) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        if (maxVecs < 1) {
            throw new IllegalArgumentException("maxVecs must be >= 1, was " + maxVecs);
        }
        if (size > MAX_CONTIGUOUS) {
            throw new IllegalArgumentException("size must be <= " + MAX_CONTIGUOUS + ", was " + size);
        }
        lock.lock();
        try {
            checkEndNotFrozen();
            cancelReservation();
            int want = (int) size;
            // More vectors than the tail plus one per pooled segment would never be used.
            int cap = (int) Math.min(maxVecs, want / pool.segmentSize() + 2L);
            ensureReservationArrays(cap);
            Segment t = last;
            int n = 0;
            long got = 0;
            boolean useTail = t != null && !t.immutable && t.writable() > 0
                    && (cap > 1 || t.writable() >= Math.max(want, 1));
            if (useTail) {
                resvSegs[n++] = t;
                got = t.writable();
                resvInChain = true;
            }
            while (n == 0 || (got < want && n < cap)) {
                int need = (int) Math.max(want - got, 1);
                Segment s = n == cap - 1 ? takeFresh(need) : takeFresh();
                resvSegs[n++] = s;
                got += s.writable();
            }
            ByteBuffer[] vecs = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                Segment s = resvSegs[i];
                vecs[i] = s.buf.slice(s.end, s.limit - s.end);
                resvVecs[i] = vecs[i];
            }
            resvCount = n;
            return vecs;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long commitSpace(ByteBuffer... vecs) {
        Objects.requireNonNull(vecs, "vecs");
        lock.lock();
        try {
            checkEndNotFrozen();
            if (vecs.length == 0) {
                return 0;
            }
            if (vecs.length > resvCount) {
                throw new IllegalArgumentException("vecs (" + vecs.length + " buffers) are not the last reservation ("
                        + resvCount + " buffers)");
            }
            for (int i = 0; i < vecs.length; i++) {
                if (vecs[i] != resvVecs[i]) {
                    throw new IllegalArgumentException("vecs[" + i + "] is not a buffer of the last reservation");
                }
            }
            long total = commitReservation(vecs, vecs.length, -1);
            if (total > 0) {
                changed(total, 0);
            }
            return total;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the reservation, appending what was filled; returns the bytes added. {@code read} < 0
     * (commitSpace): each vec is a slice of its segment's free space and its position is what was
     * written. Otherwise (readFrom) {@code read} bytes went into the reserved spaces in order (a
     * scattering read fills its buffers one after another). Lock held.
     */
    private long commitReservation(ByteBuffer[] vecs, int given, long read) {
        long total = 0;
        long rest = read;
        for (int i = 0; i < resvCount; i++) {
            Segment s = resvSegs[i];
            int n;
            if (i >= given) {
                n = 0;
            } else if (read >= 0) {
                // A scattering read fills its buffers in order; the count comes from the read's
                // result, never from the view (a per-segment cache others may reposition).
                n = (int) Math.min(rest, readLens[i]);
                rest -= n;
            } else {
                n = vecs[i].position();
            }
            boolean inChain = i == 0 && resvInChain && !resvDetached;
            if (inChain) {
                s.end += n;
            } else if (n > 0) {
                s.end += n;
                appendSegment(s);
            } else {
                s.release();
            }
            total += n;
            resvSegs[i] = null;
            resvVecs[i] = null;
        }
        resvCount = 0;
        resvInChain = false;
        resvDetached = false;
        setLength(length + total);
        return total;
    }

    // ---- freezing ------------------------------------------------------------------------------

    @Override
    public void freeze(boolean atFront) {
        lock.lock();
        try {
            if (atFront) {
                frozenFront = true;
            } else {
                frozenEnd = true;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void unfreeze(boolean atFront) {
        lock.lock();
        try {
            if (atFront) {
                frozenFront = false;
            } else {
                frozenEnd = false;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isFrozen(boolean atFront) {
        lock.lock();
        try {
            return atFront ? frozenFront : frozenEnd;
        } finally {
            lock.unlock();
        }
    }

    // ---- callbacks -----------------------------------------------------------------------------

    @Override
    public CallbackEntry addCallback(EvbufferCallback callback) {
        Objects.requireNonNull(callback, "callback");
        lock.lock();
        try {
            Entry e = new Entry(callback);
            Entry[] now = callbacks;
            // Newest first, as libevent's list insertion at the head runs them.
            Entry[] next = new Entry[now.length + 1];
            next[0] = e;
            System.arraycopy(now, 0, next, 1, now.length);
            callbacks = next;
            return e;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void deferCallbacks(EventBase base) {
        Objects.requireNonNull(base, "base");
        deferCallbacks(CallbackScheduler.of(base));
    }

    /** Reports a change: observer now, user callbacks now or deferred. Lock held; n > 0 for one of them. */
    private void changed(long added, long deleted) {
        ChangeObserver o = observer;
        if (o != null) {
            o.changed(this, added, deleted);
        }
        if (callbacks.length == 0) {
            return;
        }
        cbAdded += added;
        cbDeleted += deleted;
        if (deferTo != null) {
            if (!deferredQueued) {
                deferredQueued = true;
                deferTo.defer(deferredRun);
            }
            return;
        }
        runCallbacks();
    }

    private void runDeferred() {
        lock.lock();
        try {
            deferredQueued = false;
            if (!freed) {
                runCallbacks();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs each enabled callback once with the counts gathered since the last run. Lock held. */
    private void runCallbacks() {
        long added = cbAdded;
        long deleted = cbDeleted;
        if (added == 0 && deleted == 0) {
            return;
        }
        cbAdded = 0;
        cbDeleted = 0;
        EvbufferCbInfo info = new EvbufferCbInfo(length - added + deleted, added, deleted);
        for (Entry e : callbacks) {
            if (e.enabled && !e.removed) {
                try {
                    e.callback.onChange(this, info);
                } catch (RuntimeException | Error t) {
                    reportCallbackError(t);
                }
            }
        }
    }

    private void reportCallbackError(Throwable t) {
        CallbackScheduler s = deferTo;
        if (s != null) {
            s.reportCallbackException(t);
        } else {
            LOG.log(System.Logger.Level.WARNING, "an evbuffer callback threw", t);
        }
    }

    private final class Entry implements CallbackEntry {
        final EvbufferCallback callback;
        volatile boolean enabled = true;
        boolean removed; // guarded by lock

        Entry(EvbufferCallback callback) {
            this.callback = callback;
        }

        @Override
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        @Override
        public boolean enabled() {
            return enabled;
        }

        @Override
        public boolean remove() {
            lock.lock();
            try {
                if (removed) {
                    return false;
                }
                removed = true;
                Entry[] now = callbacks;
                Entry[] next = new Entry[now.length - 1];
                int j = 0;
                for (Entry e : now) {
                    if (e != this) {
                        next[j++] = e;
                    }
                }
                callbacks = next.length == 0 ? NO_CALLBACKS : next;
                return true;
            } finally {
                lock.unlock();
            }
        }
    }

    // ---- locking and lifetime ------------------------------------------------------------------

    @Override
    public void lock() {
        lock.lock();
    }

    @Override
    public void unlock() {
        lock.unlock();
    }

    @Override
    public void free() {
        lock.lock();
        try {
            if (freed) {
                return;
            }
            freed = true;
            cancelReservation();
            Segment s = first;
            first = null;
            last = null;
            while (s != null) {
                Segment next = s.next;
                s.next = null;
                s.release();
                s = next;
            }
            if (spare != null) {
                spare.release();
                spare = null;
            }
            setLength(0);
            fileSegments = 0;
            callbacks = NO_CALLBACKS;
            cbAdded = 0;
            cbDeleted = 0;
            observer = null;
        } finally {
            lock.unlock();
        }
    }

    // ---- socket I/O for the bufferevent threads -------------------------------------------------

    /**
     * Reads once from {@code ch} into free space at the end, at most {@code max} bytes, doing the
     * (possibly blocking) read outside the lock; bytes are added when the read returns. Other
     * threads may drain meanwhile; appends by others cancel the read's reservation and its bytes
     * are then lost, so only the reader appends to an input buffer. Ignores the freeze flags.
     * <p>Reader virtual thread only (one reader per buffer).
     *
     * @return bytes added, or -1 at end of stream
     * @throws IOException as the channel's read
     */
    public int readFrom(ReadableByteChannel ch, int max) throws IOException {
        Objects.requireNonNull(ch, "ch");
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        // A big read goes into several segments at once when the channel scatters: one system
        // call per max bytes rather than one per segment.
        int cap = ch instanceof ScatteringByteChannel
                ? (int) Math.min(READ_VECS, (long) max / pool.segmentSize() + 2) : 1;
        ByteBuffer[] views = readVecs;
        if (views == null || views.length < cap) {
            views = new ByteBuffer[Math.max(cap, 2)];
            readVecs = views;
            readLens = new int[views.length];
        }
        int count = 0;
        lock.lock();
        try {
            cancelReservation();
            ensureReservationArrays(cap);
            Segment t = last;
            int got = 0;
            if (t != null && !t.immutable && t.writable() >= Math.min(max, MIN_READ_SPACE)) {
                resvInChain = true;
            } else {
                t = takeFresh();
            }
            while (true) {
                int k = Math.min(max - got, t.writable());
                resvSegs[count] = t;
                resvVecs[count] = t.ioView(t.end, t.end + k);
                views[count] = resvVecs[count];
                readLens[count] = k;
                count++;
                got += k;
                if (got >= max || count == cap) {
                    break;
                }
                t = takeFresh();
            }
            resvCount = count;
        } finally {
            lock.unlock();
        }
        long n = -1;
        try {
            n = count == 1 ? ch.read(views[0]) : ((ScatteringByteChannel) ch).read(views, 0, count);
        } finally {
            finishRead(views, count, n);
            for (int i = 0; i < count; i++) {
                views[i] = null;
            }
        }
        return (int) n;
    }

    private void finishRead(ByteBuffer[] views, int count, long n) {
        lock.lock();
        try {
            if (resvCount != count || resvVecs[0] != views[0]) {
                return; // cancelled meanwhile by an append at the end
            }
            if (n <= 0) {
                endReservation(true);
                return;
            }
            changed(commitReservation(views, count, n), 0);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes up to {@code max} bytes from the front to {@code ch} and drains what was written: a
     * gathering write of up to 16 memory segments, or {@link FileChannel#transferTo} when the first
     * segment is a file. The (possibly blocking) write happens outside the lock; others may append
     * meanwhile. Ignores the freeze flags; nobody else may drain meanwhile (a bufferevent freezes
     * its output's front against its users).
     * <p>Writer virtual thread only (one writer per buffer).
     *
     * @return bytes written and drained (0 when empty)
     * @throws IOException as the channel's write
     */
    public long writeTo(GatheringByteChannel ch, long max) throws IOException {
        Objects.requireNonNull(ch, "ch");
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        FileChannel file = null;
        long filePos = 0;
        long fileCount = 0;
        int nv = 0;
        lock.lock();
        try {
            Segment s = first;
            if (s == null) {
                return 0;
            }
            if (s.isFile()) {
                file = s.file;
                filePos = s.fileOffset;
                fileCount = Math.min(max, s.fileLength);
            } else {
                if (writeVecs == null) {
                    writeVecs = new ByteBuffer[WRITE_VECS];
                    writeSegs = new Segment[WRITE_VECS];
                }
                long total = 0;
                for (; s != null && !s.isFile() && nv < WRITE_VECS && total < max; s = s.next) {
                    int k = (int) Math.min(s.end - s.start, max - total);
                    writeVecs[nv] = s.ioView(s.start, s.start + k);
                    // The flight is the storage's: a view's bytes belong to its parent.
                    Segment storage = s.storage();
                    storage.beginFlight();
                    writeSegs[nv++] = storage;
                    total += k;
                }
            }
        } finally {
            lock.unlock();
        }
        long n = 0;
        try {
            if (file != null) {
                n = file.transferTo(filePos, fileCount, ch);
            } else {
                n = nv == 1 ? ch.write(writeVecs[0]) : ch.write(writeVecs, 0, nv);
            }
        } finally {
            finishWrite(nv, n);
        }
        return n;
    }

    private void finishWrite(int nv, long n) {
        lock.lock();
        try {
            for (int i = 0; i < nv; i++) {
                writeSegs[i].endFlight();
                writeSegs[i] = null;
                writeVecs[i] = null;
            }
            long k = Math.min(n, length);
            if (k > 0) {
                dropFront(k);
                changed(0, k);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- chain primitives (lock held) -----------------------------------------------------------

    private void appendSegment(Segment s) {
        s.next = null;
        if (last == null) {
            first = s;
        } else {
            last.next = s;
        }
        last = s;
    }

    /** A fresh empty segment not in the chain: the spare from expand() if any, else from the pool. */
    private Segment takeFresh() {
        Segment s = spare;
        if (s != null) {
            spare = null;
            return s;
        }
        return pool.acquire();
    }

    /** A fresh empty segment with room for {@code need} bytes, preferring the spare. */
    private Segment takeFresh(int need) {
        Segment s = spare;
        if (s != null && s.writable() >= need) {
            spare = null;
            return s;
        }
        return pool.acquire(need);
    }

    /** Returns the segment to append into: the last one if it has room, else a new one linked at the end. */
    private Segment tail() {
        Segment t = last;
        if (t != null && t.writable() > 0) {
            return t;
        }
        t = takeFresh();
        appendSegment(t);
        return t;
    }

    private void appendBytes(byte[] src, int off, int len) {
        while (len > 0) {
            Segment t = tail();
            int k = Math.min(len, t.limit - t.end);
            t.buf.put(t.end, src, off, k);
            t.end += k;
            off += k;
            len -= k;
        }
    }

    /** Appends {@code len} bytes of {@code src} from index {@code from}, leaving its position alone. */
    private void appendBytes(ByteBuffer src, int from, int len) {
        while (len > 0) {
            Segment t = tail();
            int k = Math.min(len, t.limit - t.end);
            t.buf.put(t.end, src, from, k);
            t.end += k;
            from += k;
            len -= k;
        }
    }

    /** Appends and consumes {@code src}'s remaining bytes. */
    private void appendBytes(ByteBuffer src) {
        int pos = src.position();
        int len = src.remaining();
        appendBytes(src, pos, len);
        src.position(pos + len);
    }

    /** Removes {@code n <= length} bytes from the front and updates the length. */
    private void dropFront(long n) {
        long rest = n;
        Segment s = first;
        while (rest > 0) {
            long r = s.readable();
            if (r <= rest) {
                rest -= r;
                Segment next = s.next;
                s.next = null;
                if (s.isFile()) {
                    fileSegments--;
                }
                releaseFromChain(s);
                s = next;
            } else {
                if (s.isFile()) {
                    s.fileOffset += rest;
                    s.fileLength -= rest;
                } else {
                    s.start += (int) rest;
                }
                rest = 0;
            }
        }
        first = s;
        if (s == null) {
            last = null;
        }
        setLength(length - n);
    }

    /**
     * Gives up a segment leaving the chain, unless a reservation still writes into it. With
     * {@link #KEEP_SPARE}, the last segment of a buffer drained empty is kept as the spare.
     */
    private void releaseFromChain(Segment s) {
        if (resvInChain && !resvDetached && resvCount > 0 && resvSegs[0] == s) {
            s.start = s.end;
            resvDetached = true;
            return;
        }
        if (KEEP_SPARE && s == last && spare == null && s.pool == pool && s.reusableInPlace()) {
            s.reset();
            spare = s;
            return;
        }
        s.release();
    }

    private boolean isReservedInChain(Segment s) {
        return resvCount > 0 && resvInChain && !resvDetached && resvSegs[0] == s;
    }

    /**
     * Before this buffer's segments move elsewhere: if a reservation writes past the last
     * segment's end, put that segment's bytes into a new segment (a copy when small, else a view
     * sharing the storage) and keep the reserved one detached for the reserving thread. This is
     * the echo path: the reader is usually blocked in a read while the callback moves input to
     * output.
     */
    private void protectReservedTail() {
        if (!isReservedInChain(last)) {
            return;
        }
        Segment r = last;
        int k = r.end - r.start;
        Segment copy;
        if (k <= SPLIT_COPY_LIMIT) {
            copy = pool.acquire(k);
            copy.buf.put(0, r.buf, r.start, k);
            copy.end = k;
        } else {
            // The reader keeps writing after r.end; the moved bytes before it can share storage.
            copy = r.view(r.start, r.end);
        }
        copy.next = null;
        if (first == r) {
            first = copy;
        } else {
            Segment p = first;
            while (p.next != r) {
                p = p.next;
            }
            p.next = copy;
        }
        last = copy;
        r.start = r.end;
        resvDetached = true;
    }

    /**
     * Ends a reservation that will not be committed. Its thread may still be writing into the
     * reserved space, so those segments are never recycled; they are left to the GC.
     */
    private void cancelReservation() {
        endReservation(false);
    }

    /** Ends the reservation; {@code writerDone}: its thread no longer writes, so storage may be recycled. */
    private void endReservation(boolean writerDone) {
        int n = resvCount;
        if (n == 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            Segment s = resvSegs[i];
            boolean inChain = i == 0 && resvInChain && !resvDetached;
            if (!writerDone) {
                s.storage().beginFlight(); // never ended: the reader may still write there, so no reuse
            }
            if (!inChain) {
                s.release();
            }
            resvSegs[i] = null;
            resvVecs[i] = null;
        }
        resvCount = 0;
        resvInChain = false;
        resvDetached = false;
    }

    private void ensureReservationArrays(int n) {
        if (resvSegs == null || resvSegs.length < n) {
            resvSegs = new Segment[Math.max(n, 2)];
            resvVecs = new ByteBuffer[Math.max(n, 2)];
        }
    }

    /** Replaces file segments holding any of the first {@code upTo} bytes by their contents in memory. */
    private void materialize(long upTo) {
        if (fileSegments == 0) {
            return;
        }
        long pos = 0;
        Segment prev = null;
        for (Segment s = first; s != null && pos < upTo; prev = s, s = s.next) {
            if (s.isFile()) {
                Segment m = Segment.owned(s.readFile());
                m.end = m.buf.capacity();
                m.next = s.next;
                if (prev == null) {
                    first = m;
                } else {
                    prev.next = m;
                }
                if (last == s) {
                    last = m;
                }
                s.next = null;
                s.release();
                fileSegments--;
                s = m;
            }
            pos += s.readable();
        }
    }

    /** Sets {@link #locSeg}/{@link #locIdx} to the segment and storage index of position {@code p < length}. */
    private void locate(long p) {
        Segment s = first;
        long rest = p;
        while (rest >= s.readable()) {
            rest -= s.readable();
            s = s.next;
        }
        locSeg = s;
        locIdx = s.start + (int) rest;
    }

    private void copyFront(byte[] out, int off, int n) {
        copyFrom(first, first.start, out, off, n);
    }

    private static void copyFrom(Segment s, int idx, byte[] out, int off, int n) {
        while (n > 0) {
            int k = Math.min(n, s.end - idx);
            s.buf.get(idx, out, off, k);
            off += k;
            n -= k;
            s = s.next;
            if (s != null) {
                idx = s.start;
            }
        }
    }

    private void copyFront(ByteBuffer dst, int n) {
        Segment s = first;
        int pos = dst.position();
        while (n > 0) {
            int k = Math.min(n, s.end - s.start);
            dst.put(pos, s.buf, s.start, k);
            pos += k;
            n -= k;
            s = s.next;
        }
        dst.position(pos);
    }

    // ---- scanning (lock held, no file segment in the scanned range) ------------------------------

    /** Terminator length of the last {@link #findEol} hit. Guarded by lock. */
    private int eolLen;

    /** Returns the position of the first end of line at or after {@code from}, or -1; sets {@link #eolLen}. */
    private long findEol(long from, EolStyle style) {
        switch (style) {
            case LF -> {
                eolLen = 1;
                return indexOf((byte) '\n', from, length);
            }
            case NUL -> {
                eolLen = 1;
                return indexOf((byte) 0, from, length);
            }
            case CRLF_STRICT -> {
                eolLen = 2;
                return find(CRLF_BYTES, from, length);
            }
            case CRLF -> {
                long at = indexOf((byte) '\n', from, length);
                if (at < 0) {
                    return -1;
                }
                if (at > from && byteAt(at - 1) == '\r') {
                    eolLen = 2;
                    return at - 1;
                }
                eolLen = 1;
                return at;
            }
            case ANY -> {
                long at = indexOfCrOrLf(from);
                if (at < 0) {
                    return -1;
                }
                eolLen = crLfRun(at);
                return at;
            }
            default -> throw new IllegalArgumentException("style " + style);
        }
    }

    private static final byte[] CRLF_BYTES = {'\r', '\n'};

    private byte byteAt(long p) {
        locate(p);
        return locSeg.buf.get(locIdx);
    }

    /** Position of the first {@code b} in {@code [from, to)}, or -1. */
    private long indexOf(byte b, long from, long to) {
        if (from >= to) {
            return -1;
        }
        locate(from);
        Segment s = locSeg;
        int idx = locIdx;
        long base = from - (idx - s.start); // position of s.start
        while (s != null && base + (idx - s.start) < to) {
            int end = (int) Math.min(s.end, s.start + (to - base));
            int hit = Scan.indexOf(s.buf, idx, end, b);
            if (hit >= 0) {
                return base + (hit - s.start);
            }
            base += s.end - s.start;
            s = s.next;
            if (s != null) {
                idx = s.start;
            }
        }
        return -1;
    }

    private long indexOfCrOrLf(long from) {
        locate(from);
        Segment s = locSeg;
        int idx = locIdx;
        long base = from - (idx - s.start);
        while (s != null) {
            int hit = Scan.indexOfCrOrLf(s.buf, idx, s.end);
            if (hit >= 0) {
                return base + (hit - s.start);
            }
            base += s.end - s.start;
            s = s.next;
            if (s != null) {
                idx = s.start;
            }
        }
        return -1;
    }

    /** Length of the run of CR and LF bytes starting at {@code at}. */
    private int crLfRun(long at) {
        locate(at);
        Segment s = locSeg;
        int idx = locIdx;
        int n = 0;
        while (s != null) {
            for (; idx < s.end; idx++) {
                byte c = s.buf.get(idx);
                if (c != '\r' && c != '\n') {
                    return n;
                }
                n++;
            }
            s = s.next;
            if (s != null) {
                idx = s.start;
            }
        }
        return n;
    }

    /**
     * Position of the first occurrence of {@code what} (non-empty) wholly inside {@code [from, to)},
     * or -1. One pass over the segments: candidates are found with the word-at-a-time scan, and
     * each is compared from where it lies, without walking the chain again.
     */
    private long find(byte[] what, long from, long to) {
        long lastStart = to - what.length;
        if (from > lastStart) {
            return -1;
        }
        locate(from);
        Segment s = locSeg;
        int idx = locIdx;
        long base = from - (idx - s.start); // position of s.start
        byte b0 = what[0];
        while (s != null && base + (idx - s.start) <= lastStart) {
            int end = (int) Math.min(s.end, s.start + (lastStart + 1 - base));
            int hit = Scan.indexOf(s.buf, idx, end, b0);
            if (hit >= 0) {
                if (what.length == 1 || matchesAt(s, hit, what)) {
                    return base + (hit - s.start);
                }
                idx = hit + 1;
                if (idx < s.end) {
                    continue;
                }
            }
            base += s.end - s.start;
            s = s.next;
            if (s != null) {
                idx = s.start;
            }
        }
        return -1;
    }

    /** Whether {@code what} starts at storage index {@code idx} of {@code s}; the bytes exist. */
    private static boolean matchesAt(Segment s, int idx, byte[] what) {
        for (byte w : what) {
            while (idx >= s.end) {
                s = s.next;
                idx = s.start;
            }
            if (s.buf.get(idx++) != w) {
                return false;
            }
        }
        return true;
    }

    // ---- argument checks and helpers -----------------------------------------------------------

    private long position(EvbufferPtr p, String name) {
        if (p == null) {
            return 0;
        }
        long v = p.position();
        if (v < 0 || v > length) {
            throw new IllegalArgumentException(name + " must be a position in [0, " + length + "], was " + v);
        }
        return v;
    }

    private void checkEndNotFrozen() {
        checkEndNotFrozen("this buffer");
    }

    /** {@code who}: how the message names this buffer to the caller ("this buffer", "src", "dst"). */
    private void checkEndNotFrozen(String who) {
        if (freed) {
            // Bytes added now would be silently lost (a bufferevent's output after its free).
            throw new IllegalStateException(who + " was freed");
        }
        if (frozenEnd) {
            throw new IllegalStateException("the end of " + who + " is frozen");
        }
    }

    private void checkFrontNotFrozen() {
        checkFrontNotFrozen("this buffer");
    }

    private void checkFrontNotFrozen(String who) {
        if (frozenFront) {
            throw new IllegalStateException("the front of " + who + " is frozen");
        }
    }

    private static void checkRange(int off, int len, int size) {
        if (off < 0 || len < 0 || off > size - len) {
            throw new IllegalArgumentException("off " + off + " and len " + len + " must lie within an array of " + size);
        }
    }

    private static ChainEvbuffer cast(Evbuffer b, String name) {
        Objects.requireNonNull(b, name);
        if (b instanceof ChainEvbuffer c) {
            return c;
        }
        throw new IllegalArgumentException(name + " " + b + " was not created by loomevent-runtime");
    }

    private static void lockBoth(ChainEvbuffer a, ChainEvbuffer b) {
        if (a.lock == b.lock) {
            a.lock.lock();
            return;
        }
        ChainEvbuffer lo = a.id < b.id ? a : b;
        ChainEvbuffer hi = lo == a ? b : a;
        lo.lock.lock();
        hi.lock.lock();
    }

    private static void unlockBoth(ChainEvbuffer a, ChainEvbuffer b) {
        if (a.lock == b.lock) {
            a.lock.unlock();
            return;
        }
        b.lock.unlock();
        a.lock.unlock();
    }

    private static void closeQuietly(FileChannel f) {
        try {
            f.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing an empty evbuffer file range", e);
        }
    }

    @Override
    public String toString() {
        return "Evbuffer[length=" + length + "]";
    }
}
