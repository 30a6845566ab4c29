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
