package dev.loomevent.api;

import java.time.Duration;

/**
 * A timer, a user-activated event or a signal event of an {@link EventBase}.
 * <p>libevent: {@code struct event} created by {@code event_new}/{@code evtimer_new}/
 * {@code evsignal_new}, with {@code event_add}, {@code event_del}, {@code event_pending},
 * {@code event_active}, {@code event_priority_set}, {@code event_free}.
 * <p>Any thread, for every method; the callback runs on the base's callback thread.
 */
public interface Event {
    /**
     * Makes the event pending. With a timeout it fires {@code EV_TIMEOUT} after it (again every
     * {@code timeout} with {@link Ev#PERSIST}); adding a pending event reschedules its timeout.
     * A signal event needs no timeout. libevent: {@code event_add}: {@code null} leaves a timeout
     * already scheduled as it is. A timer pushed later costs one volatile store; the heap entry moves
     * only when the old deadline comes due.
     *
     * @param timeout the delay, or {@code null} for none (keeps a scheduled one)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException    if the event or its base was freed
     */
    void add(Duration timeout);

    /**
     * Makes the event not pending and not active; its callback will not run unless added again.
     * Called on another thread than the base's callback thread while this event's callback runs
     * there, it first waits for that callback to return. libevent: {@code event_del}.
     */
    void del();

    /**
     * Returns whether the event is pending or active for any of {@code what}'s bits
     * ({@link Ev#TIMEOUT}, {@link Ev#SIGNAL}). libevent: {@code event_pending}.
     */
    boolean pending(int what);

    /**
     * Makes the event active now with result {@code res}, as if it had fired. libevent: {@code event_active}.
     *
     * @throws IllegalStateException if the event was freed
     */
    void active(int res);

    /**
     * Sets the priority (0 = most urgent, below the base's {@link EventBase#priorities()}).
     * libevent: {@code event_priority_set}.
     *
     * @throws IllegalArgumentException if out of range
     */
    void setPriority(int priority);

    /** Returns the priority; a new event has {@code base().priorities() / 2}, as in libevent. libevent: {@code event_get_priority}. */
    int priority();

    /** Returns the event's flags ({@link Ev#PERSIST}, {@link Ev#SIGNAL}, ...). libevent: {@code event_get_events}. */
    int events();

    /** Returns the base. libevent: {@code event_get_base}. */
    EventBase base();

    /**
     * Deletes the event and releases it; a second call does nothing. Like {@link #del()}, called on
     * another thread while this event's callback runs, it first waits for that callback to return
     * (so a callback must not wait for a thread that frees or deletes its own event).
     * libevent: {@code event_free}.
     */
    void free();
}
