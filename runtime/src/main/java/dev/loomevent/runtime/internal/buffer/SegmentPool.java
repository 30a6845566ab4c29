package dev.loomevent.runtime.internal.buffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;

/**
 * A bounded pool of equal-sized segments, shared by many evbuffers, so that a steady stream of
 * messages allocates nothing: a buffer takes a segment when it needs room and gives it back when
 * the segment's bytes are all drained.
 * <p>Any thread. Two levels, neither allocating per use: a few "hot" slots, one picked by the
 * calling thread's id, each holding at most one segment and taken or filled with one atomic
 * operation (the add-then-drain of one message round-trips through the same slot), and behind them
 * a lock-free bounded MPMC queue. A segment given back to a full pool is left to the GC.
 * <p>Direct storage is the default because the socket threads do blocking channel I/O: a heap
 * buffer handed to {@code SocketChannel.read/write} is copied through a temporary direct buffer by
 * the JDK. The choice was measured (docs/benchmarks.md, section Evbuffer).
 */
public final class SegmentPool {
    /** Size of pooled segments: system property {@code loomevent.evbuffer.segmentSize}, default 8192. */
    public static final int DEFAULT_SEGMENT_SIZE = Integer.getInteger("loomevent.evbuffer.segmentSize", 8192);
    /** Most segments kept: system property {@code loomevent.evbuffer.poolSegments}, default 2048. */
    public static final int DEFAULT_CAPACITY = Integer.getInteger("loomevent.evbuffer.poolSegments", 2048);

    /** The pool evbuffers use unless told otherwise: direct unless {@code loomevent.evbuffer.heap=true}. */
    public static final SegmentPool DEFAULT =
            new SegmentPool(!Boolean.getBoolean("loomevent.evbuffer.heap"), DEFAULT_SEGMENT_SIZE, DEFAULT_CAPACITY);

    private final boolean direct;
    private final int segmentSize;
    private final MpmcAtomicArrayQueue<Segment> free;
    /** One idle segment per slot at most; slot = thread id &amp; mask. */
    private final AtomicReferenceArray<Segment> hot;
    private final int hotMask;

    /**
     * Creates a pool.
     *
     * @param direct      whether storage is direct memory
     * @param segmentSize bytes per pooled segment (at least 8)
     * @param capacity    most idle segments kept (at least 2)
     */
    public SegmentPool(boolean direct, int segmentSize, int capacity) {
        if (segmentSize < 8) {
            throw new IllegalArgumentException("segmentSize must be >= 8, was " + segmentSize);
        }
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be >= 2, was " + capacity);
        }
        this.direct = direct;
        this.segmentSize = segmentSize;
        this.free = new MpmcAtomicArrayQueue<>(capacity);
        int slots = Integer.highestOneBit(Math.max(2, Math.min(capacity / 2, 4 * Runtime.getRuntime().availableProcessors())));
        this.hot = new AtomicReferenceArray<>(slots);
        this.hotMask = slots - 1;
    }

    /** Returns whether segments use direct memory. Any thread. */
    public boolean direct() {
        return direct;
    }

    /** Returns the size of a pooled segment. Any thread. */
    public int segmentSize() {
        return segmentSize;
    }

    /** Returns how many idle segments the pool holds now (approximately, under concurrent use). Any thread. */
    public int idle() {
        int n = free.size();
        for (int i = 0; i < hot.length(); i++) {
            if (hot.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    private int slot() {
        return (int) Thread.currentThread().threadId() & hotMask;
    }

    /** Takes an empty segment of {@link #segmentSize()} bytes. Any thread. */
    Segment acquire() {
        int i = slot();
        Segment s = hot.getAcquire(i) != null ? hot.getAndSet(i, null) : null;
        if (s == null) {
            s = free.relaxedPoll();
            if (s == null) {
                return new Segment(this, allocate(segmentSize));
            }
        }
        s.reset();
        return s;
    }

    /**
     * Returns an empty segment with room for at least {@code size} bytes: a pooled one when it
     * fits, else an exact-size one that the GC reclaims.
     */
    Segment acquire(int size) {
        return size <= segmentSize ? acquire() : Segment.owned(allocate(size));
    }

    void recycle(Segment s) {
        s.next = null;
        int i = slot();
        if (hot.getAcquire(i) == null && hot.compareAndSet(i, null, s)) {
            return;
        }
        free.relaxedOffer(s);
    }

    /** Storage in native order: {@link Scan} then reads words without swapping bytes. */
    private ByteBuffer allocate(int size) {
        return (direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size)).order(ByteOrder.nativeOrder());
    }

    static void runCleanup(Consumer<ByteBuffer> cleanup, ByteBuffer data) {
        try {
            cleanup.accept(data);
        } catch (RuntimeException | Error e) {
            System.getLogger(SegmentPool.class.getName())
                    .log(System.Logger.Level.WARNING, "evbuffer reference cleanup threw", e);
        }
    }
}
