package dev.loomevent.runtime.internal.base;

import dev.loomevent.api.stats.CallbackKind;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Something that asks the callback thread to run it: a bufferevent's read, write or event callback,
 * a timer, an accept. At most one activation of an object is pending at a time (coalescing): a
 * second {@link CallbackScheduler#activate} before it runs does nothing.
 * <p>Any thread activates; {@link #fire()} runs on the callback thread only.
 */
public abstract class Activation {
    private static final VarHandle QUEUED;

    static {
        try {
            QUEUED = MethodHandles.lookup().findVarHandle(Activation.class, "queued", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * 1 while queued; cleared just before {@link #fire()} so that a fire can re-activate itself.
     * A field with a VarHandle rather than an AtomicBoolean: one object less per activation (a
     * bufferevent has several) and no pointer to chase on the hot path. The clear is a volatile
     * store: the fire that follows must see what a producer did before its CAS failed.
     */
    private volatile int queued;
    private volatile int priority;
    private final CallbackKind kind;

    /**
     * Creates an activation with priority {@code priority} (0 = most urgent), counted in the base's
     * statistics as {@link CallbackKind#DEFERRED}.
     */
    protected Activation(int priority) {
        this(priority, CallbackKind.DEFERRED);
    }

    /**
     * Creates an activation with priority {@code priority} (0 = most urgent) whose runs the base
     * counts and times as {@code kind}.
     */
    protected Activation(int priority, CallbackKind kind) {
        this.priority = priority;
        this.kind = kind;
    }

    /** Runs the work. Callback thread only; exceptions go to the base's error handler. */
    protected abstract void fire();

    /**
     * Called instead of {@link #fire()} when the base drops this activation because it was freed
     * first (activated after {@code free()}, or still queued when the base released its queues), so
     * that an activation holding a resource (an accepted channel) can release it. Runs once per
     * dropped activation, on the thread that frees the base or activates after it; exceptions are
     * logged. Default: nothing.
     */
    protected void discarded() {
    }

    /** Returns the kind the base counts this activation's runs as. Any thread. */
    public final CallbackKind kind() {
        return kind;
    }

    /** Returns the priority. Any thread. */
    public final int priority() {
        return priority;
    }

    /**
     * Changes the priority; takes effect at the next activation. Any thread. Not final: an
     * {@code Event} is its own activation and range-checks its priority here.
     */
    public void setPriority(int priority) {
        this.priority = priority;
    }

    /** Returns whether the activation is queued now. Any thread. */
    public final boolean isQueued() {
        return queued != 0;
    }

    /** Marks the activation queued; returns false if it already was. For schedulers only. */
    public final boolean markQueued() {
        return queued == 0 && QUEUED.compareAndSet(this, 0, 1);
    }

    /** Clears the queued mark before running or when cancelled. For schedulers only. */
    public final void clearQueued() {
        queued = 0;
    }
}
