package dev.loomevent.runtime.internal.buffer;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;

/**
 * A bounded pool of equal-sized segments, shared by many evbuffers, so that a steady stream of
 * messages allocates nothing: a buffer takes a segment when it needs room and gives it back when
 * the segment's bytes are all drained.
 * <p>Any thread: the free list is a lock-free bounded MPMC queue (no allocation per offer or poll).
 * A segment given back to a full pool is left to the GC.
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
    }

    /** Returns whether segments use direct memory. Any thread. */
    public boolean direct() {
        return direct;
    }

    /** Returns the size of a pooled segment. Any thread. */
    public int segmentSize() {
        return segmentSize;
    }

    /** Returns how many idle segments the pool holds now. Any thread. */
    public int idle() {
        return free.size();
    }

    /** Takes an empty segment of {@link #segmentSize()} bytes. Any thread. */
    Segment acquire() {
        Segment s = free.relaxedPoll();
        if (s == null) {
            return new Segment(this, allocate(segmentSize));
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
        free.relaxedOffer(s);
    }

    private ByteBuffer allocate(int size) {
        return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
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
