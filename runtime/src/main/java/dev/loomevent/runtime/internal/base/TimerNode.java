package dev.loomevent.runtime.internal.base;

import dev.loomevent.api.stats.CallbackKind;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An entry of a base's timer heap that is also the activation its expiry queues.
 * <p>Any thread arms or cancels it; the heap fields are the callback thread's alone. Another thread
 * never touches the heap: it changes {@link #state}/{@link #deadline} and asks the callback thread to
 * bring the heap in line ({@link #requestSync()}, coalesced by {@link #syncRequested}).
 * <p>Re-arming is lazy: while the node is in the heap with a key at or before the new deadline,
 * {@link #arm} only stores the deadline; when the heap's key comes due, the callback thread sees the
 * later deadline and moves the node down instead of expiring it. A bufferevent that pushes its read
 * timeout forward after every read therefore pays one volatile store, not a heap operation.
 * <pre>
 *   IDLE --arm--> ARMED --due (callback thread)--> EXPIRED --fire--> IDLE
 *     ^-------------cancel---------------------------'
 * </pre>
 * Memory consistency: the state is read and written with volatile semantics, so a deadline stored by
 * {@link #arm} before it reads {@code ARMED} is seen by the callback thread after its CAS from
 * {@code ARMED}; that is what makes the lazy fast path race-free.
 */
abstract class TimerNode extends Activation {
    static final int IDLE = 0;
    static final int ARMED = 1;
    static final int EXPIRED = 2;

    private static final VarHandle STATE;
    private static final VarHandle SYNC;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(TimerNode.class, "state", int.class);
            SYNC = l.findVarHandle(TimerNode.class, "syncRequested", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventBaseImpl base;
    // volatile: written by any thread that arms, read by the callback thread when the key is due.
    private volatile long deadline;
    // volatile: IDLE/ARMED/EXPIRED, CAS'd by arming, cancelling and expiring threads.
    private volatile int state;
    // volatile: 1 while a sync request sits in the base's queue; coalesces requests.
    private volatile int syncRequested;
    // Written by the callback thread only; volatile so that arm() may read them as a hint.
    volatile long key;
    volatile boolean inHeap;
    // Callback thread only.
    int heapIndex = -1;
    long seq;

    TimerNode(EventBaseImpl base, int priority, CallbackKind kind) {
        super(priority, kind);
        this.base = base;
    }

    /** Called on the callback thread when the node left the heap in state EXPIRED. */
    abstract void expired(long now);

    final long deadline() {
        return deadline;
    }

    final int state() {
        return state;
    }

    /** Arms (or re-arms) the node to expire at {@code deadline} (System.nanoTime based). Any thread. */
    final void arm(long deadline) {
        this.deadline = deadline;
        if (state == ARMED && inHeap && deadline - key >= 0) {
            return;
        }
        STATE.getAndSet(this, ARMED);
        requestSync();
    }

    /** Disarms; returns the state it had. Any thread. */
    final int disarm() {
        int prev = (int) STATE.getAndSet(this, IDLE);
        if (prev == ARMED) {
            requestSync();
        }
        return prev;
    }

    /** Moves EXPIRED to IDLE; false when the node was re-armed or cancelled meanwhile. Any thread. */
    final boolean consumeExpiry() {
        return STATE.compareAndSet(this, EXPIRED, IDLE);
    }

    /** Callback thread: the due node left the heap; true when it is to expire now. */
    final boolean expireIfDue(long now) {
        if (!STATE.compareAndSet(this, ARMED, EXPIRED)) {
            return false;
        }
        if (deadline - now > 0 && STATE.compareAndSet(this, EXPIRED, ARMED)) {
            // re-armed between our read of the deadline and the CAS: put it back instead.
            base.timerSync(this);
            return false;
        }
        return state == EXPIRED;
    }

    final void requestSync() {
        if (base.inCallbackThread()) {
            base.timerSync(this);
        } else if (SYNC.compareAndSet(this, 0, 1)) {
            base.offerTimerSync(this);
        }
    }

    /** Callback thread: clears the request mark before the heap is synced, so later changes ask again. */
    final void clearSyncRequest() {
        syncRequested = 0;
    }
}
