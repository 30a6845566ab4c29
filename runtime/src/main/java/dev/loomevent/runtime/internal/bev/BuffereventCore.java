package dev.loomevent.runtime.internal.bev;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevEventCallback;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.BuffereventCallbacks;
import dev.loomevent.api.DataCallback;
import dev.loomevent.api.Direction;
import dev.loomevent.api.DnsResolver;
import dev.loomevent.api.Evbuffer;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.FlushMode;
import dev.loomevent.api.TriggerOption;
import dev.loomevent.api.Watermark;
import dev.loomevent.api.stats.CallbackKind;
import dev.loomevent.runtime.internal.base.Activation;
import dev.loomevent.runtime.internal.base.CallbackScheduler;
import dev.loomevent.runtime.internal.buffer.ChainEvbuffer;
import dev.loomevent.runtime.internal.stats.BaseCounters;
import dev.loomevent.runtime.internal.stats.OutputBacklog;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntBinaryOperator;

/**
 * The generic part of every bufferevent kind: libevent's {@code bufferevent.c}. It owns the lock,
 * the reference count, the enabled directions and their suspend reasons, watermarks, timeouts and
 * the dispatch of the user's callbacks on the base's callback thread; the kind behind
 * {@link BevOps} moves the bytes.
 * <p>Any thread; state guarded by {@link #lock}. Fields read on the I/O threads' hot path are
 * volatile so a reader or writer can test them without the lock; they are written under it.
 * <p>Callback dispatch: I/O threads and timers {@link #post} bits into {@link #pending} and
 * activate one {@link Activation} per bufferevent (coalesced). When it fires on the callback thread
 * it delivers, in libevent's deferred order, CONNECTED, then the read callback, then the write
 * callback, then the other events (OR'ed into one call with {@link BevOption#DEFER_CALLBACKS}; one
 * call per side otherwise, as libevent's direct callbacks would have been separate calls).
 * <p>Lock order: this lock before the buffers' locks; evbuffer change callbacks, which run under a
 * buffer's lock, never take this lock.
 */
public final class BuffereventCore implements Bufferevent, OutputBacklog {
    /** The read bit of a direction mask. */
    public static final int READ = 1;
    /** The write bit of a direction mask. */
    public static final int WRITE = 2;

    // pending: bits 0-7 read-side events, 8-15 write-side, 16-23 others, then the callbacks to run.
    private static final int P_READ = 1 << 24;
    private static final int P_WRITE = 1 << 25;
    private static final int P_CONNECTED = 1 << 26;
    /** The read/write callback was triggered with IGNORE_WATERMARKS: no re-check when it runs. */
    private static final int P_READ_FORCED = 1 << 27;
    private static final int P_WRITE_FORCED = 1 << 28;
    /** A deferred triggerEvent waits in {@link #triggeredEvents}. */
    private static final int P_TRIGGERED = 1 << 29;
    /** The pending bits a deferred run's event step takes: CONNECTED and the three event lanes. */
    private static final int LATE_EVENTS = P_CONNECTED | 0xffffff;
    private static final IntBinaryOperator OR = (a, b) -> a | b;
    private static final java.lang.invoke.VarHandle TRIGGERED;

    static {
        try {
            TRIGGERED = java.lang.invoke.MethodHandles.lookup().findVarHandle(BuffereventCore.class, "triggeredEvents", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The bufferevent's recursive lock (libevent {@code bufev->lock}); with the evbuffers sharing
     * it where they can. Guards the non-final fields below.
     */
    final ReentrantLock lock;
    private final EventBase base;
    final CallbackScheduler scheduler;
    final BaseCounters counters;
    private final ChainEvbuffer input;
    private final ChainEvbuffer output;
    private final Set<BevOption> options;
    private final boolean deferCallbacks;
    /** libevent holds the lock while callbacks run when it has one (THREADSAFE) and UNLOCK_CALLBACKS is off. */
    private final boolean lockDuringCallbacks;
    private final Dispatch dispatch;
    private final AtomicInteger pending = new AtomicInteger();
    /**
     * Events of {@code triggerEvent(..., DEFER_CALLBACKS)} on a bufferevent without
     * {@link BevOption#DEFER_CALLBACKS}: libevent's deferred runner delivers them whole (CONNECTED
     * included) after the read and write callbacks of its run; not split into the I/O lanes.
     */
    private volatile int triggeredEvents; // TRIGGERED: no AtomicInteger per bufferevent for a rare path
    private BevOps ops;

    // volatile: dispatch and the I/O threads read them without the lock.
    private volatile BuffereventCallbacks callbacks = BuffereventCallbacks.NONE;
    private volatile int enabled = WRITE;
    private volatile int readSuspend;
    private volatile int writeSuspend;
    /** bufferevent_set_max_single_read/write; read by the I/O threads every round. */
    private volatile int maxSingleRead = SocketReader.MAX_READ;
    private volatile int maxSingleWrite = SocketWriter.MAX_WRITE;
    private volatile long readLow;
    private volatile long readHigh;
    private volatile long writeLow;
    private volatile long writeHigh;
    private volatile long readTimeout;
    private volatile long writeTimeout;
    /** System.nanoTime of the last read/write progress or of the start of waiting; timeouts count from it. */
    private volatile long readProgress;
    private volatile long writeProgress;
    private volatile Throwable lastError;
    private volatile boolean freed;
    /** volatile: posters read it; set by the first setCallbacks. */
    private volatile boolean callbacksSet;
    /** A read or drain was not posted because that callback was unset; guarded by lock. */
    private boolean readUnreported;
    private boolean writeUnreported;
    /** volatile: the writer reads it when it finds the output empty. */
    private volatile boolean closeAfterFlush;

    private CallbackScheduler.RearmableTimer readTimer;   // guarded by lock; created at first use
    private CallbackScheduler.RearmableTimer writeTimer;  // guarded by lock; created at first use
    private int refcnt = 1;                      // guarded by lock
    private boolean destroyed;                   // guarded by lock

    /**
     * Creates the generic part; the kind attaches itself with {@link #attach} before the
     * bufferevent is published.
     */
    public BuffereventCore(EventBase base, Set<BevOption> options) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(options, "options");
        if (options.contains(BevOption.UNLOCK_CALLBACKS) && !options.contains(BevOption.DEFER_CALLBACKS)) {
            throw new IllegalArgumentException("options " + options + ": UNLOCK_CALLBACKS requires DEFER_CALLBACKS");
        }
        this.base = base;
        this.scheduler = CallbackScheduler.of(base);
        if (scheduler.isFreed()) {
            throw new IllegalStateException("base " + base.name() + " was freed");
        }
        this.counters = scheduler.counters();
        this.options = Collections.unmodifiableSet(options.isEmpty() ? EnumSet.noneOf(BevOption.class) : EnumSet.copyOf(options));
        this.deferCallbacks = options.contains(BevOption.DEFER_CALLBACKS);
        this.lockDuringCallbacks = options.contains(BevOption.THREADSAFE) && !options.contains(BevOption.UNLOCK_CALLBACKS);
        this.lock = new ReentrantLock();
        this.input = BevBuffers.create(lock);
        this.output = BevBuffers.create(lock);
        // The user only removes from the input and only adds to the output (libevent freezes them too).
        input.freeze(false);
        output.freeze(true);
        // The I/O threads change these buffers: callbacks users add to them run on the callback
        // thread like every other user callback, never on a reader or writer thread.
        input.deferCallbacks(scheduler);
        output.deferCallbacks(scheduler);
        this.dispatch = new Dispatch(base.priorities() / 2);
        scheduler.own(this);
    }

    /** The kind-specific half of this bufferevent (for tests). */
    BevOps ops() {
        return ops;
    }

    /**
     * Attaches the kind and starts watching the buffers for it (libevent's
     * {@code bufferevent_inbuf_wm_cb} and {@code bufferevent_socket_outbuf_cb}). Called once, by the
     * kind's factory, before the bufferevent is published.
     */
    public void attach(BevOps ops) {
        this.ops = ops;
        input.setObserver((b, added, deleted) -> {
            ChainEvbuffer.ChangeObserver probe = inputProbe;
            if (probe != null) {
                probe.changed(b, added, deleted);
            }
            if (deleted > 0) {
                ops.inputDrained();
            }
        });
        output.setObserver((b, added, deleted) -> {
            ChainEvbuffer.ChangeObserver probe = outputProbe;
            if (probe != null) {
                probe.changed(b, added, deleted);
            }
            if (added > 0) {
                if (b.length() == added) {
                    // The output was empty (bytes in flight stay in it until written): writing
                    // starts to wait now, and so does the write timeout, as when libevent adds
                    // the write event.
                    writeProgressed();
                }
                ops.outputAdded();
            }
        });
    }

    /**
     * Tests only: sees each change of the input or output as it happens, on the thread making it
     * and under the lock (user callbacks on the buffers are deferred to the callback thread and
     * summed). Set before reading or writing starts.
     */
    ChainEvbuffer.ChangeObserver inputProbe;
    /** Tests only: as {@link #inputProbe}, for the output. */
    ChainEvbuffer.ChangeObserver outputProbe;

    /** Returns the input as the engine's buffer type. */
    ChainEvbuffer in() {
        return input;
    }

    /** Returns the output as the engine's buffer type. */
    ChainEvbuffer out() {
        return output;
    }

    // ---- state for the kinds (any thread) ------------------------------------------------------

    /** Returns the enabled-direction bits. */
    public int enabledBits() {
        return enabled;
    }

    /** Returns whether {@code dir} (a bit) is enabled and not suspended, and the bufferevent is not freed. */
    public boolean active(int dir) {
        return !freed && (enabled & dir) != 0 && (dir == READ ? readSuspend : writeSuspend) == 0;
    }

    /** Returns whether the user freed the bufferevent. */
    public boolean isFreed() {
        return freed;
    }

    /** Returns the read low-watermark. */
    public long readLow() {
        return readLow;
    }

    /** Returns the read high-watermark (0: none). */
    public long readHigh() {
        return readHigh;
    }

    /** Feeds the base's output-backlog gauge: output bytes beyond the write low-watermark. Any thread. */
    @Override
    public long outputBytesAboveWatermark() {
        return Math.max(0, output.length() - writeLow);
    }

    /** Returns the write low-watermark. */
    public long writeLow() {
        return writeLow;
    }

    /** Returns the write high-watermark (0: none). */
    public long writeHigh() {
        return writeHigh;
    }

    /** Records read progress for the read timeout; only costs a clock read when a timeout is set. */
    void readProgressed() {
        if (readTimeout != 0) {
            readProgress = System.nanoTime();
        }
    }

    /** Records write progress for the write timeout. */
    void writeProgressed() {
        if (writeTimeout != 0) {
            writeProgress = System.nanoTime();
        }
    }

    /** Sets the cause of the next ERROR event. */
    void setLastError(Throwable error) {
        lastError = error;
    }

    /** Suspends {@code dir} for {@code reason} (libevent {@code bufferevent_suspend_read_/write_}). Lock held. */
    void suspend(int dir, Suspend reason) {
        if (dir == READ) {
            boolean was = readSuspend != 0;
            readSuspend |= reason.bit();
            if (!was) {
                ops.disable(READ);
            }
        } else {
            boolean was = writeSuspend != 0;
            writeSuspend |= reason.bit();
            if (!was) {
                ops.disable(WRITE);
            }
        }
    }

    /** Lifts {@code reason} from {@code dir}; resumes I/O when no reason is left. Lock held. */
    void unsuspend(int dir, Suspend reason) {
        if (dir == READ) {
            readSuspend &= ~reason.bit();
            if (readSuspend == 0 && (enabled & READ) != 0 && !freed) {
                ops.enable(READ);
                armTimer(READ);
            }
        } else {
            writeSuspend &= ~reason.bit();
            if (writeSuspend == 0 && (enabled & WRITE) != 0 && !freed) {
                ops.enable(WRITE);
                armTimer(WRITE);
            }
        }
    }

    /**
     * The reader reported EOF or a read error and disabled reading; the event callback has not run
     * yet. libevent observes the end and runs the callback in one step of its loop, so an
     * enable(READ) made meanwhile (say, by a CONNECTED callback queued earlier) comes, in libevent's
     * order, before the end: it must not start a reader that reports the end again, and the end
     * disables reading after it. Guarded by {@link #lock}; volatile for the dispatcher's check.
     */
    private volatile boolean readEndPending;

    /** The reader reports an EOF or error: disables reading until the event callback has run. Lock held. */
    void readEnded() {
        readEndPending = true;
        disableInternal(READ);
    }

    /** Whether a reported read end waits for its event callback (no reader may start). Lock held. */
    boolean readEndPending() {
        return readEndPending;
    }

    /** A new channel: an end reported for the old one does not hold up reading it. Lock held. */
    void clearReadEnd() {
        readEndPending = false;
    }

    /**
     * Callback thread, just before an event callback: if {@code events} report the read end, the
     * end disables reading after any enable made meanwhile.
     */
    private void readEndDelivered(int events) {
        if (!readEndPending || (events & BevEvent.READING) == 0 || (events & (BevEvent.EOF | BevEvent.ERROR)) == 0) {
            return;
        }
        lock.lock();
        try {
            if (readEndPending) {
                readEndPending = false;
                if (!freed) {
                    disableInternal(READ);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Clears {@code dirs} from the enabled bits as the engine does before an EOF/error/timeout event. Lock held. */
    void disableInternal(int dirs) {
        enabled &= ~dirs;
        ops.disable(dirs);
        cancelTimers(dirs);
    }

    /**
     * Queues callbacks to run on the callback thread: {@code events} (BevEvent bits; CONNECTED is
     * delivered on its own, first), and the read and/or write callback. Any thread.
     */
    void post(boolean readCb, boolean writeCb, int events) {
        // libevent runs nothing for a data callback that is not set: skipping the post saves the
        // callback thread a wake-up per message (an echo has no write callback). But the I/O
        // threads run ahead of the loop: a user who writes and then sets a write callback in the
        // same callback would lose the drain libevent reports. So a skipped drain or read is
        // remembered, and setCallbacks reports it when it installs that callback.
        if (callbacksSet) {
            BuffereventCallbacks cbs = callbacks;
            if (readCb && cbs.read() == null) {
                readCb = false;
                readUnreported = true;
            }
            if (writeCb && cbs.write() == null) {
                writeCb = false;
                writeUnreported = true;
            }
        }
        int bits = (readCb ? P_READ : 0) | (writeCb ? P_WRITE : 0);
        if ((events & BevEvent.CONNECTED) != 0) {
            bits |= P_CONNECTED;
            events &= ~BevEvent.CONNECTED;
        }
        if (events != 0) {
            int shift = (events & BevEvent.READING) != 0 ? 0 : (events & BevEvent.WRITING) != 0 ? 8 : 16;
            bits |= (events & 0xff) << shift;
        }
        if (bits == 0) {
            return;
        }
        // Only the poster that finds nothing pending activates: the others' bits ride along.
        if (pending.getAndAccumulate(bits, OR) == 0) {
            scheduler.activate(dispatch);
        }
    }

    /** Posts the read callback, honouring the read low-watermark. */
    void postReadIfAboveLow() {
        if (input.length() >= readLow) {
            post(true, false, 0);
        }
    }

    // ---- callbacks -----------------------------------------------------------------------------

    @Override
    public void setCallbacks(DataCallback read, DataCallback write, BevEventCallback event, Object arg) {
        lock.lock();
        try {
            checkLive();
            callbacks = new BuffereventCallbacks(read, write, event, arg);
            callbacksSet = true;
            boolean lateRead = read != null && readUnreported && input.length() >= readLow;
            boolean lateWrite = write != null && writeUnreported && output.length() <= writeLow;
            if (read != null) {
                readUnreported = false;
            }
            if (write != null) {
                writeUnreported = false;
            }
            post(lateRead, lateWrite, 0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public BuffereventCallbacks getCallbacks() {
        return callbacks;
    }

    /** Runs on the callback thread: libevent's {@code bufferevent_run_deferred_callbacks_*}. */
    private final class Dispatch extends Activation {
        /** Counted as READ by the base: it is the read callback nearly every time. */
        Dispatch(int priority) {
            super(priority, CallbackKind.READ);
        }

        /**
         * Deferred runs only: takes the {@code mask} bits posted since the run began, as libevent's
         * deferred runner tests each of readcb_pending, writecb_pending and eventcb_pending just
         * before its step — so a read the reader posts while CONNECTED runs is called before the
         * EOF it posts next, and events a read callback queues are delivered with this run's.
         */
        private int takeLate(int mask) {
            int cur;
            do {
                cur = pending.get();
                if ((cur & mask) == 0) {
                    return 0;
                }
            } while (!pending.compareAndSet(cur, cur & ~mask));
            return cur & mask;
        }

        @Override
        protected void fire() {
            int p = pending.getAndSet(0);
            if (p == 0 || freed) {
                return;
            }
            boolean hold = lockDuringCallbacks;
            if (!enterCallbacks(hold)) {
                return;
            }
            try {
                if ((p & P_CONNECTED) != 0) {
                    runEvent(BevEvent.CONNECTED);
                }
                if (deferCallbacks) {
                    p |= takeLate(P_READ | P_READ_FORCED);
                }
                // The I/O threads go on while callbacks run: a read or drain posted a moment ago
                // may have been undone by an earlier callback (input drained, output refilled).
                // libevent, which does I/O only between callbacks, would not call then: neither do we.
                if ((p & P_READ) != 0 && ((p & P_READ_FORCED) != 0 || input.length() >= Math.max(readLow, 1))) {
                    runRead();
                    if (deferCallbacks) {
                        inbufWatermarkCheck();
                    }
                }
                if (deferCallbacks) {
                    p |= takeLate(P_WRITE | P_WRITE_FORCED);
                }
                if ((p & P_WRITE) != 0 && ((p & P_WRITE_FORCED) != 0 || output.length() <= writeLow)) {
                    runWrite();
                }
                int rs = p & 0xff;
                int ws = (p >>> 8) & 0xff;
                int os = (p >>> 16) & 0xff;
                if (deferCallbacks) {
                    // libevent's deferred runner reads eventcb_pending only after the read and write
                    // callbacks: events they queued (a triggerEvent, even with CONNECTED) are
                    // delivered in this run, merged into one call, not split by a later run.
                    int late = takeLate(LATE_EVENTS);
                    int ev = rs | ws | os | (late & 0xff) | ((late >>> 8) & 0xff) | ((late >>> 16) & 0xff)
                            | ((late & P_CONNECTED) != 0 ? BevEvent.CONNECTED : 0);
                    if (ev != 0) {
                        readEndDelivered(ev);
                        runEvent(ev);
                    }
                } else {
                    if (rs != 0) {
                        readEndDelivered(rs);
                        runEvent(rs);
                    }
                    if (ws != 0) {
                        runEvent(ws);
                    }
                    if (os != 0) {
                        runEvent(os);
                    }
                    if ((p & P_TRIGGERED) != 0) {
                        int t = (int) TRIGGERED.getAndSet(BuffereventCore.this, 0);
                        if (t != 0) {
                            runEvent(t);
                        }
                    }
                }
            } finally {
                leaveCallbacks(hold);
            }
        }
    }

    /**
     * Before running callbacks, as libevent's {@code bufferevent_incref_and_lock_}: takes a
     * reference, so that a free() from another thread meanwhile only clears the callbacks and the
     * buffers and channel live until they return; and keeps the lock if {@code hold}. Returns
     * false (holding nothing) if the bufferevent is already destroyed. Callback thread.
     */
    private boolean enterCallbacks(boolean hold) {
        lock.lock();
        if (destroyed) {
            lock.unlock();
            return false;
        }
        refcnt++;
        if (!hold) {
            lock.unlock();
        }
        return true;
    }

    /** After {@link #enterCallbacks}: drops the lock if held and the reference, the last one destroying. */
    private void leaveCallbacks(boolean hold) {
        if (hold) {
            lock.unlock();
        }
        decref();
    }

    /** libevent 2.1.12's {@code bufferevent_inbuf_wm_check}: give the user another chance to drain a full input. */
    private void inbufWatermarkCheck() {
        long high = readHigh;
        if (high != 0 && !freed && (enabled & READ) != 0 && input.length() >= high) {
            post(true, false, 0);
        }
    }

    private void runRead() {
        BuffereventCallbacks cbs = callbacks;
        DataCallback cb = cbs.read();
        if (cb == null || freed) {
            return;
        }
        try {
            cb.onData(this, cbs.arg());
        } catch (Throwable t) {
            scheduler.reportCallbackException(t);
        }
    }

    private void runWrite() {
        BuffereventCallbacks cbs = callbacks;
        DataCallback cb = cbs.write();
        if (cb == null || freed) {
            return;
        }
        try {
            cb.onData(this, cbs.arg());
        } catch (Throwable t) {
            scheduler.reportCallbackException(t);
        }
    }

    private void runEvent(int events) {
        BuffereventCallbacks cbs = callbacks;
        BevEventCallback cb = cbs.event();
        if (cb == null || freed) {
            return;
        }
        try {
            cb.onEvent(this, events, cbs.arg());
        } catch (Throwable t) {
            scheduler.reportCallbackException(t);
        }
    }

    // ---- enabling ------------------------------------------------------------------------------

    static int mask(Set<Direction> directions, String name) {
        Objects.requireNonNull(directions, name);
        int m = 0;
        for (Direction d : directions) {
            m |= d == Direction.READ ? READ : WRITE;
        }
        return m;
    }

    private static int bit(Direction d) {
        return Objects.requireNonNull(d, "direction") == Direction.READ ? READ : WRITE;
    }

    @Override
    public void enable(Set<Direction> directions) {
        int m = mask(directions, "directions");
        lock.lock();
        try {
            checkLive();
            int added = m & ~enabled;
            enabled |= m;
            int impl = m;
            if (readSuspend != 0) {
                impl &= ~READ;
            }
            if (writeSuspend != 0) {
                impl &= ~WRITE;
            }
            if (impl != 0) {
                ops.enable(impl);
                // libevent arms the write event, which fires at once on a writable socket: with
                // nothing to write and no connect just finished, it runs the write callback.
                if ((impl & WRITE) != 0 && ops.writeIdle()) {
                    post(false, true, 0);
                }
            }
            if ((added & READ) != 0) {
                armTimer(READ);
            }
            if ((added & WRITE) != 0) {
                armTimer(WRITE);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void disable(Set<Direction> directions) {
        int m = mask(directions, "directions");
        lock.lock();
        try {
            checkLive();
            disableInternal(m);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Set<Direction> enabled() {
        int e = enabled;
        EnumSet<Direction> s = EnumSet.noneOf(Direction.class);
        if ((e & READ) != 0) {
            s.add(Direction.READ);
        }
        if ((e & WRITE) != 0) {
            s.add(Direction.WRITE);
        }
        return s;
    }

    // ---- watermarks ----------------------------------------------------------------------------

    @Override
    public void setWatermark(Set<Direction> directions, long low, long high) {
        int m = mask(directions, "directions");
        if (low < 0) {
            throw new IllegalArgumentException("low must be >= 0, was " + low);
        }
        if (high < 0) {
            throw new IllegalArgumentException("high must be >= 0, was " + high);
        }
        lock.lock();
        try {
            checkLive();
            if ((m & WRITE) != 0) {
                writeLow = low;
                writeHigh = high;
            }
            if ((m & READ) != 0) {
                readLow = low;
                readHigh = high;
                ops.inputDrained();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Watermark getWatermark(Direction direction) {
        return bit(direction) == READ ? new Watermark(readLow, readHigh) : new Watermark(writeLow, writeHigh);
    }

    // ---- data ----------------------------------------------------------------------------------

    @Override
    public Evbuffer input() {
        return input;
    }

    @Override
    public Evbuffer output() {
        return output;
    }

    @Override
    public void write(byte[] data, int off, int len) {
        checkLive();
        output.add(data, off, len);
    }

    @Override
    public void write(ByteBuffer data) {
        checkLive();
        output.add(data);
    }

    @Override
    public void writeBuffer(Evbuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        checkLive();
        output.addBuffer(buffer);
    }

    @Override
    public int read(byte[] out, int off, int len) {
        checkLive();
        return input.remove(out, off, len);
    }

    @Override
    public void readBuffer(Evbuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        checkLive();
        buffer.addBuffer(input);
    }

    // ---- timeouts ------------------------------------------------------------------------------

    private static long nanos(Duration d, String name) {
        if (d == null) {
            return 0;
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public void setTimeouts(Duration read, Duration write) {
        long r = nanos(read, "read");
        long w = nanos(write, "write");
        lock.lock();
        try {
            checkLive();
            readTimeout = r;
            writeTimeout = w;
            cancelTimers(READ | WRITE);
            // libevent re-adds pending events with the new timeout: counting restarts now.
            armTimer(READ);
            armTimer(WRITE);
        } finally {
            lock.unlock();
        }
    }

    /** Starts the timeout clock of {@code dir} if a timeout is set and the direction is enabled. Lock held. */
    private void armTimer(int dir) {
        long timeout = dir == READ ? readTimeout : writeTimeout;
        if (timeout == 0 || freed || (enabled & dir) == 0) {
            return;
        }
        CallbackScheduler.RearmableTimer t = timer(dir);
        if (!t.isArmed()) {
            if (dir == READ) {
                readProgress = System.nanoTime();
            } else {
                writeProgress = System.nanoTime();
            }
            t.rearm(timeout);
        }
    }

    private CallbackScheduler.RearmableTimer timer(int dir) {
        if (dir == READ) {
            if (readTimer == null) {
                readTimer = scheduler.newTimer(() -> timerFired(READ));
            }
            return readTimer;
        }
        if (writeTimer == null) {
            writeTimer = scheduler.newTimer(() -> timerFired(WRITE));
        }
        return writeTimer;
    }

    private void cancelTimers(int dirs) {
        if ((dirs & READ) != 0 && readTimer != null) {
            readTimer.cancel();
        }
        if ((dirs & WRITE) != 0 && writeTimer != null) {
            writeTimer.cancel();
        }
    }

    /**
     * Callback thread. The clock runs only while the direction waits; time spent not waiting
     * (disabled, held at the high-watermark, nothing to write) counts as progress.
     */
    private void timerFired(int dir) {
        lock.lock();
        try {
            long timeout = dir == READ ? readTimeout : writeTimeout;
            if (freed || timeout == 0 || (enabled & dir) == 0) {
                return;
            }
            Direction d = dir == READ ? Direction.READ : Direction.WRITE;
            long now = System.nanoTime();
            if (!ops.waiting(d)) {
                if (dir == READ) {
                    readProgress = now;
                } else {
                    writeProgress = now;
                }
                reschedule(dir, timeout);
                return;
            }
            long elapsed = now - (dir == READ ? readProgress : writeProgress);
            if (elapsed < timeout) {
                reschedule(dir, timeout - elapsed);
                return;
            }
            disableInternal(dir);
            counters.timeout(d);
            post(false, false, BevEvent.TIMEOUT | d.bevEventBit());
        } finally {
            lock.unlock();
        }
    }

    private void reschedule(int dir, long delay) {
        timer(dir).rearm(delay);
    }

    // ---- flush, priority, transport ------------------------------------------------------------

    @Override
    public int flush(Set<Direction> directions, FlushMode mode) {
        int m = mask(directions, "directions");
        Objects.requireNonNull(mode, "mode");
        lock.lock();
        try {
            checkLive();
            return ops.flush(m, mode);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int setPriority(int priority) {
        lock.lock();
        try {
            checkLive();
            if (!ops.hasPriority() || priority < 0 || priority >= base.priorities()) {
                return -1;
            }
            dispatch.setPriority(priority);
            return 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int priority() {
        return dispatch.priority();
    }

    @Override
    public int setMaxSingleRead(long size) {
        maxSingleRead = singleLimit(size, SocketReader.MAX_READ);
        return 0;
    }

    @Override
    public long getMaxSingleRead() {
        return maxSingleRead;
    }

    @Override
    public int setMaxSingleWrite(long size) {
        maxSingleWrite = singleLimit(size, SocketWriter.MAX_WRITE);
        return 0;
    }

    @Override
    public long getMaxSingleWrite() {
        return maxSingleWrite;
    }

    /** libevent's rule: 0 or more than the largest size means the default. */
    private int singleLimit(long size, int dflt) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        checkLive();
        return size == 0 || size > Integer.MAX_VALUE ? dflt : (int) size;
    }

    @Override
    public int connect(SocketAddress address) {
        lock.lock();
        try {
            checkLive();
            return ops.connect(address);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int connectHostname(DnsResolver resolver, StandardProtocolFamily family, String host, int port) {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, was " + port);
        }
        if (family == StandardProtocolFamily.UNIX) {
            throw new IllegalArgumentException("family must be INET, INET6 or null, was " + family);
        }
        checkLive();
        return ops.connectHostname(resolver, family, host, port);
    }

    @Override
    public int dnsError() {
        return ops.dnsError();
    }

    @Override
    public Throwable lastError() {
        return lastError;
    }

    @Override
    public int setChannel(SocketChannel channel) {
        lock.lock();
        try {
            checkLive();
            return ops.setChannel(channel);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public SocketChannel channel() {
        return ops.channel();
    }

    @Override
    public EventBase base() {
        return base;
    }

    @Override
    public Bufferevent underlying() {
        return ops.underlying();
    }

    @Override
    public Set<BevOption> options() {
        return options;
    }

    // ---- locking, triggering, lifetime ---------------------------------------------------------

    @Override
    public void lock() {
        lock.lock();
    }

    @Override
    public void unlock() {
        lock.unlock();
    }

    @Override
    public void trigger(Set<Direction> directions, Set<TriggerOption> opts) {
        int m = mask(directions, "directions");
        Objects.requireNonNull(opts, "options");
        checkLive();
        boolean ignore = opts.contains(TriggerOption.IGNORE_WATERMARKS);
        boolean read = (m & READ) != 0 && (ignore || input.length() >= readLow);
        boolean write = (m & WRITE) != 0 && (ignore || output.length() <= writeLow);
        if (!read && !write) {
            return;
        }
        if (runsNow(opts)) {
            // libevent's bufferevent_trigger runs them as its I/O callbacks do: a reference and,
            // for THREADSAFE without UNLOCK_CALLBACKS, the lock.
            if (!enterCallbacks(lockDuringCallbacks)) {
                return;
            }
            try {
                if (read) {
                    runRead();
                }
                if (write) {
                    runWrite();
                }
            } finally {
                leaveCallbacks(lockDuringCallbacks);
            }
        } else {
            // libevent decides at trigger time; the queued call is not checked again.
            postForced(read, write);
        }
    }

    /** Queues the data callbacks a trigger asked for, exempt from the re-check when they run. */
    private void postForced(boolean read, boolean write) {
        int bits = (read ? P_READ | P_READ_FORCED : 0) | (write ? P_WRITE | P_WRITE_FORCED : 0);
        if (bits != 0 && pending.getAndAccumulate(bits, OR) == 0) {
            scheduler.activate(dispatch);
        }
    }

    @Override
    public void triggerEvent(int events, Set<TriggerOption> opts) {
        Objects.requireNonNull(opts, "options");
        checkLive();
        if (runsNow(opts)) {
            if (!enterCallbacks(lockDuringCallbacks)) {
                return;
            }
            try {
                runEvent(events);
            } finally {
                leaveCallbacks(lockDuringCallbacks);
            }
        } else if (!deferCallbacks && opts.contains(TriggerOption.DEFER_CALLBACKS) && events != 0) {
            TRIGGERED.getAndBitwiseOr(this, events);
            if (pending.getAndAccumulate(P_TRIGGERED, OR) == 0) {
                scheduler.activate(dispatch);
            }
        } else {
            post(false, false, events);
        }
    }

    /** A trigger runs on the caller's stack only on the callback thread and without deferral. */
    private boolean runsNow(Set<TriggerOption> opts) {
        return !deferCallbacks && !opts.contains(TriggerOption.DEFER_CALLBACKS) && scheduler.inCallbackThread();
    }

    @Override
    public void incref() {
        lock.lock();
        try {
            if (destroyed) {
                throw new IllegalStateException("bufferevent was destroyed");
            }
            refcnt++;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int decref() {
        lock.lock();
        try {
            if (destroyed) {
                throw new IllegalStateException("bufferevent was destroyed");
            }
            if (--refcnt > 0) {
                return 0;
            }
            destroyed = true;
            if (!freed) {
                freed = true;
                callbacks = BuffereventCallbacks.NONE;
                cancelTimers(READ | WRITE);
                ops.unlink();
            }
            ops.destruct();
            // libevent: pending output is dropped, not flushed.
            input.free();
            output.free();
        } finally {
            lock.unlock();
        }
        scheduler.disown(this);
        return 1;
    }

    /**
     * Frees the bufferevent; a second call does nothing (libevent leaves that undefined).
     */
    @Override
    public void free() {
        lock.lock();
        try {
            if (freed) {
                return;
            }
            freed = true;
            callbacks = BuffereventCallbacks.NONE;
            cancelTimers(READ | WRITE);
            ops.unlink();
        } finally {
            lock.unlock();
        }
        decref();
    }

    @Override
    public void closeAfterFlush() {
        lock.lock();
        try {
            checkLive();
            callbacks = BuffereventCallbacks.NONE;
            disableInternal(READ);
            if ((enabled & WRITE) == 0) {
                enabled |= WRITE;
                if (writeSuspend == 0) {
                    ops.enable(WRITE);
                }
            }
            closeAfterFlush = true;
        } finally {
            lock.unlock();
        }
        ops.outputAdded();
    }

    /** Returns whether {@link #closeAfterFlush()} asked the writer to free once the output drains. */
    boolean closingAfterFlush() {
        return closeAfterFlush;
    }

    private void checkLive() {
        if (freed) {
            throw new IllegalStateException("bufferevent was freed");
        }
    }

    @Override
    public String toString() {
        return "Bufferevent[" + ops + ", enabled=" + enabled() + "]";
    }
}
