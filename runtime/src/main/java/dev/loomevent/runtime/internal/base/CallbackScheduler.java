package dev.loomevent.runtime.internal.base;

import dev.loomevent.runtime.internal.stats.BaseCounters;

/**
 * What the engine's parts (bufferevents, listeners, evbuffers' deferred callbacks) need of an event
 * base: a way to run work on its callback thread, timers, counters, and ownership for
 * {@code free()}. The runtime's {@code EventBase} implementation implements it.
 * <p>Any thread, except where a method says otherwise.
 */
public interface CallbackScheduler {

    /** A scheduled timer; {@link #cancel()} is idempotent. Any thread. */
    interface Timer {
        /** Cancels the timer; returns false when it already ran or was cancelled. */
        boolean cancel();
    }

    /**
     * A timer armed again and again, such as a bufferevent's read timeout pushed forward after every
     * read. Re-arming to a later deadline costs a volatile store while the timer is pending (the
     * heap is only touched when the old deadline comes due); re-arming after expiry but before the
     * task ran cancels that run. Any thread.
     */
    interface RearmableTimer extends Timer {
        /** Arms the timer to run its task once {@code delayNanos} have passed from now, replacing any earlier arming. */
        void rearm(long delayNanos);

        /** Returns whether the timer is armed and has not run since. */
        boolean isArmed();
    }

    /**
     * Queues {@code activation} to fire on the callback thread, unless it is already queued
     * (coalescing). Wakes the callback thread only on the empty to non-empty edge. Any thread.
     */
    void activate(Activation activation);

    /**
     * Runs {@code task} on the callback thread after the current callback returns, at priority
     * {@code priorities()/2} (the deferred-callback queue). Any thread.
     */
    void defer(Runnable task);

    /** Returns whether the calling thread is the callback thread. Any thread. */
    boolean inCallbackThread();

    /**
     * Runs {@code task} on the callback thread once {@code delayNanos} have passed. Any thread.
     *
     * @return a handle that cancels it
     */
    Timer schedule(long delayNanos, Runnable task);

    /**
     * Creates a disarmed {@link RearmableTimer} that runs {@code task} on the callback thread each time
     * it expires. The default builds it from {@link #schedule}; the runtime's base overrides it with
     * the cheap lazy version. Any thread.
     */
    default RearmableTimer newTimer(Runnable task) {
        return new RearmableTimer() {
            // volatile: re-armed and cancelled from any thread; the latest arming wins.
            private volatile Timer current;

            @Override
            public void rearm(long delayNanos) {
                Timer[] self = new Timer[1];
                self[0] = schedule(delayNanos, () -> {
                    if (current == self[0]) {
                        current = null;
                        task.run();
                    }
                });
                Timer old = current;
                current = self[0];
                if (old != null) {
                    old.cancel();
                }
            }

            @Override
            public boolean isArmed() {
                return current != null;
            }

            @Override
            public boolean cancel() {
                Timer old = current;
                current = null;
                return old != null && old.cancel();
            }
        };
    }

    /** Returns the base's clock (nanoseconds, cached per loop round on the callback thread). Any thread. */
    long nanoTime();

    /** Returns the counters the base's statistics are made of. Any thread. */
    BaseCounters counters();

    /** Hands {@code error}, thrown by a user callback, to the base's error handler. Any thread. */
    void reportCallbackException(Throwable error);

    /**
     * Registers something the base must free when it is freed (a bufferevent, a listener).
     * Any thread.
     */
    void own(AutoCloseable resource);

    /** Forgets a resource freed by its user. Any thread. */
    void disown(AutoCloseable resource);

    /** Returns whether the base was freed. Any thread. */
    boolean isFreed();

    /** Returns the scheduler behind an API event base created by this runtime. */
    static CallbackScheduler of(dev.loomevent.api.EventBase base) {
        if (base instanceof CallbackScheduler s) {
            return s;
        }
        throw new IllegalArgumentException("base " + base + " was not created by loomevent-runtime");
    }
}
