package dev.loomevent.runtime.internal.base;

import dev.loomevent.api.Ev;
import dev.loomevent.api.Event;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventCallback;
import dev.loomevent.api.Signal;
import dev.loomevent.api.stats.CallbackKind;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A timer, user or signal event: libevent's {@code struct event} with fd -1.
 * <p>Any thread; {@code add}/{@code del}/{@code free} are serialised by {@link #lock}, activation is
 * lock-free (the result bits are OR'ed in with one atomic operation, and the base coalesces the
 * activation), the callback runs on the base's callback thread.
 */
final class EventImpl extends TimerNode implements Event {
    private static final VarHandle RES;

    static {
        try {
            RES = MethodHandles.lookup().findVarHandle(EventImpl.class, "res", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int events;
    private final EventCallback callback;
    private final Object arg;
    private final Signal signal;
    private final boolean freeAfterRun;
    /**
     * Threads in del() or free() off the callback thread: while any is waiting for a run of the
     * callback to end, no new run starts (a callback that re-activates its own event would otherwise
     * start the next run before the deleter could delete it, and run after del() returned).
     */
    private final java.util.concurrent.atomic.AtomicInteger deleting = new java.util.concurrent.atomic.AtomicInteger();
    /** Serialises add, del and free; never held while the callback runs. */
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock (volatile: pending() reads it from any thread)
    private volatile boolean signalAdded;
    // guarded by lock
    private long timeoutNanos = -1;
    // volatile: checked by active() from any thread.
    private volatile boolean freed;
    // volatile, updated through RES: the result bits collected since the callback last ran.
    private volatile int res;
    // callback thread only: the deadline the last expiry was due at, base of a persistent re-arm.
    private long lastDue;
    // Bumped by every del() (under lock): a run that took its result bits before a del() from
    // another thread must neither re-arm a persistent event nor call back.
    private volatile int dels;

    EventImpl(EventBaseImpl base, int events, Signal signal, EventCallback callback, Object arg, boolean freeAfterRun) {
        super(base, base.priorities() / 2, CallbackKind.TIMER);
        this.events = events;
        this.signal = signal;
        this.callback = callback;
        this.arg = arg;
        this.freeAfterRun = freeAfterRun;
    }

    @Override
    public void add(Duration timeout) {
        long nanos = timeout == null ? -1 : toNanos(timeout);
        lock.lock();
        try {
            if (freed || base.isFreed()) {
                throw new IllegalStateException("event " + this + " was freed");
            }
            if (signal != null && !signalAdded) {
                SignalHub.add(signal, this);
                signalAdded = true;
                base.signalEventAdded();
            }
            // libevent's event_add with a NULL timeout leaves a scheduled timeout as it is
            if (nanos >= 0) {
                timeoutNanos = nanos;
                // an earlier deadline moves the heap entry up at once; a later one is applied lazily
                arm(base.nanoTime() + nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    private static long toNanos(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        return timeout.compareTo(Duration.ofDays(365 * 100)) > 0 ? Duration.ofDays(365 * 100).toNanos() : timeout.toNanos();
    }

    /**
     * libevent's event_del: from a thread other than the callback thread, it first waits until a run
     * of this event's callback under way there has returned (event_del blocks while the callback
     * runs in another thread), so that nothing of the callback happens after del() returns.
     */
    @Override
    public void del() {
        whenNotRunning(this::delLocked);
    }

    /**
     * Runs {@code change} under the lock once no run of the callback is under way on the callback
     * thread (at once there), no new run starting meanwhile: the wait of del() and free().
     */
    private void whenNotRunning(Runnable change) {
        deleting.incrementAndGet();
        try {
            base.awaitNotRunning(this);
            lock.lock();
            try {
                change.run();
            } finally {
                lock.unlock();
            }
        } finally {
            deleting.decrementAndGet();
        }
    }

    private void delLocked() {
        disarm();
        RES.getAndSet(this, 0);
        // Counted after the bits are cleared: a run that took bits before the clear read the old
        // count, and its re-arm (which waits for this lock) sees the new one and stops.
        dels++;
        if (signalAdded) {
            signalAdded = false;
            SignalHub.remove(signal, this);
            base.signalEventRemoved();
        }
    }

    @Override
    public boolean pending(int what) {
        int have = res;
        int s = state();
        if (s == ARMED) {
            have |= Ev.TIMEOUT;
        }
        if (signalAdded) {
            have |= Ev.SIGNAL;
        }
        return (have & what & (Ev.TIMEOUT | Ev.SIGNAL | Ev.READ | Ev.WRITE)) != 0;
    }

    @Override
    public void active(int what) {
        if (freed) {
            throw new IllegalStateException("event " + this + " was freed");
        }
        activateWith(what);
    }

    /** Called by the JVM's signal thread: only queues, never runs user code. */
    void signalled() {
        if (!freed) {
            activateWith(Ev.SIGNAL);
        }
    }

    private void activateWith(int what) {
        RES.getAndBitwiseOr(this, what);
        base.activate(this);
    }

    @Override
    void expired(long now) {
        // Under the lock del() takes: a del() between coming due and here leaves the node IDLE and
        // must win, as libevent's event_del takes the event off the active queue. A re-arm (ARMED)
        // still reports this expiry, as in libevent.
        lock.lock();
        try {
            lastDue = deadline();
            if (!consumeExpiry() && state() == IDLE) {
                return;
            }
            activateWith(Ev.TIMEOUT);
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected void fire() {
        int seen = dels;
        int r = (int) RES.getAndSet(this, 0);
        if (r == 0 || freed || deleting.get() > 0) {
            // An activation made before a del() under way returns is undone by it: not run.
            return;
        }
        if ((events & Ev.PERSIST) == 0) {
            del();
        } else if (!rearmPersistent(r, seen)) {
            return;
        }
        try {
            callback.onEvent(this, r, arg);
        } finally {
            if (freeAfterRun) {
                free();
            }
        }
    }

    /**
     * libevent's event_persist_closure: a timeout continues the period, any other activation
     * restarts it. Returns false, re-arming nothing, when the event was freed or deleted since this
     * run took its bits ({@code seen}: the del count then): libevent re-arms under the base lock
     * that event_del takes, so no run starts after a del() returns. Callback thread.
     */
    private boolean rearmPersistent(int r, int seen) {
        lock.lock();
        try {
            if (freed || dels != seen) {
                return false;
            }
            if (timeoutNanos < 0) {
                return true;
            }
            long now = base.nanoTime();
            long next = (r & Ev.TIMEOUT) != 0 ? lastDue + timeoutNanos : now + timeoutNanos;
            if (next - now < 0) {
                next = now + timeoutNanos;
            }
            arm(next);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setPriority(int priority) {
        int n = base.priorities();
        if (priority < 0 || priority >= n) {
            throw new IllegalArgumentException("priority must be in 0.." + (n - 1) + ", was " + priority);
        }
        super.setPriority(priority);
    }

    @Override
    public int events() {
        return signal != null ? events | Ev.SIGNAL : events;
    }

    @Override
    public EventBase base() {
        return base;
    }

    @Override
    public void free() {
        whenNotRunning(() -> {
            if (!freed) {
                delLocked();
                freed = true;
            }
        });
        base.forget(this); // a second free() forgets an event already forgotten: nothing
    }

    /** Frees without touching the base's tables; the base is being freed. */
    void freeByBase() {
        lock.lock();
        try {
            if (!freed) {
                delLocked();
                freed = true;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Event[" + (signal != null ? "signal " + signal : "events=0x" + Integer.toHexString(events))
                + ", base=" + base.name() + "]";
    }
}
