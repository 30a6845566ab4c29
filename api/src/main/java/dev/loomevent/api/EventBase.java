package dev.loomevent.api;

import dev.loomevent.api.stats.EventBaseStats;
import java.time.Duration;
import java.util.Set;

/**
 * The loop that runs every callback of its bufferevents, listeners, timers and signals, one at a
 * time, on its callback thread. I/O happens on virtual threads; they hand their results to the base
 * through a lock-free queue, and the base turns them into user callbacks.
 * <p>libevent: {@code struct event_base}. The callback thread is the thread that calls
 * {@link #dispatch()}/{@link #loop}, or the one {@link #start()} creates. User callbacks need no
 * locks of their own: libevent's single-thread guarantee.
 * <p>Any thread, except where a method says otherwise. Memory consistency effects: actions of a
 * thread before it activates an event or queues a task happen-before the callback runs.
 */
public interface EventBase extends AutoCloseable {

    /** Creates a base with the defaults. libevent: {@code event_base_new}. Any thread. */
    static EventBase create() {
        return create(EventBaseConfig.DEFAULT);
    }

    /** Creates a base. libevent: {@code event_base_new_with_config}. Any thread. */
    static EventBase create(EventBaseConfig config) {
        return ProviderHolder.provider().newEventBase(config);
    }

    /**
     * Returns the base whose callback thread is the calling thread, or {@code null}. Useful in a
     * listener callback of an {@link EventBaseGroup}. libevent has no counterpart (its closest is
     * {@code event_base_get_running_event}). Any thread.
     */
    static EventBase current() {
        return ProviderHolder.provider().currentBase();
    }

    /**
     * Returns the base's name: {@link EventBaseConfig#name()}, or {@code eventbase-<n>} when that is
     * null. libevent has no counterpart (bases are unnamed there). Any thread.
     */
    String name();

    /**
     * Runs the loop on the calling thread until no event is pending or active, or until
     * {@link #loopExit}/{@link #loopBreak}. libevent: {@code event_base_dispatch}. Interrupting
     * the calling thread (as {@code ExecutorService.shutdownNow()} does) acts as
     * {@link #loopBreak}: the loop returns 0 after the running callback, leaving the thread's
     * interrupt status set.
     *
     * @return 0 after exit or break, 1 when nothing was pending, -1 when the loop already runs (on
     *         another thread, or on this one: a call from a callback) or the base was freed
     */
    int dispatch();

    /**
     * Runs the loop with {@code flags}. libevent: {@code event_base_loop}.
     *
     * @return as {@link #dispatch()}; 0 also after the round of {@link LoopFlag#ONCE} or
     *         {@link LoopFlag#NONBLOCK}
     */
    int loop(Set<LoopFlag> flags);

    /**
     * Starts a thread named after the base that runs the loop with {@link LoopFlag#NO_EXIT_ON_EMPTY}
     * until {@link #free()} (or an exit or break): a virtual thread, or a daemon platform thread when
     * {@link EventBaseConfig#virtualCallbackThread()} is false. libevent has no counterpart (its users
     * start a thread that calls {@code event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY)}). Any thread.
     *
     * @throws IllegalStateException if the loop already runs or the base was freed
     */
    void start();

    /**
     * Ends the loop after {@code delay} (null: once the callbacks active now have run).
     * libevent: {@code event_base_loopexit}. Any thread; no effect on a freed base.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    void loopExit(Duration delay);

    /** Ends the loop as soon as the running callback returns. libevent: {@code event_base_loopbreak}. Any thread. */
    void loopBreak();

    /** Returns whether the last loop ended by {@link #loopExit}. libevent: {@code event_base_got_exit}. Any thread. */
    boolean gotExit();

    /** Returns whether the last loop ended by {@link #loopBreak}. libevent: {@code event_base_got_break}. Any thread. */
    boolean gotBreak();

    /**
     * Returns whether the calling thread is this base's callback thread. libevent has no public
     * counterpart (internally {@code EVBASE_IN_THREAD}). Any thread.
     */
    boolean inCallbackThread();

    /**
     * Sets the number of priorities (1..256). libevent: {@code event_base_priority_init}: only
     * before any event is active. Any thread while the loop is not running; while it runs, only its
     * callback thread.
     *
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException    if an event is active, or the loop runs on another thread
     */
    void priorityInit(int n);

    /** Returns the number of priorities. libevent: {@code event_base_get_npriorities}. Any thread. */
    int priorities();

    /**
     * Creates a timer or user event ({@code what}: 0 or {@link Ev#PERSIST}; {@link Ev#TIMEOUT} is
     * accepted and implied). It is not pending until {@link Event#add}. libevent: {@code event_new}
     * with fd -1, {@code evtimer_new}. Any thread.
     *
     * @throws IllegalArgumentException if {@code what} holds any other bit
     * @throws IllegalStateException    if the base was freed
     */
    Event newEvent(int what, EventCallback callback, Object arg);

    /**
     * Creates a signal event: after {@link Event#add} its callback runs on the callback thread each
     * time {@code signal} arrives (several arrivals before it runs coalesce). libevent:
     * {@code evsignal_new}. Any thread.
     * <p>JVM limits: the handler is installed (through {@code sun.misc.Signal}) while at least one
     * signal event of {@code signal} is pending in any base, and the handler that was there before is
     * restored when the last one is deleted or freed. Meanwhile SIGINT, SIGTERM and SIGHUP no longer
     * run the JVM's shutdown hooks and exit: the program decides (e.g. {@code loopExit}). The JVM's
     * own signal thread only queues the activation; no user code runs on it.
     *
     * @throws UnsupportedOperationException if the JVM does not let the signal be handled
     * @throws IllegalStateException         if the base was freed
     */
    Event newSignal(Signal signal, EventCallback callback, Object arg);

    /**
     * Runs {@code callback} once after {@code timeout} (null: at the next loop round), then forgets it.
     * libevent: {@code event_base_once} with fd -1. Any thread.
     *
     * @throws IllegalArgumentException if {@code what} holds any bit but {@link Ev#TIMEOUT}, or
     *                                  {@code timeout} is negative
     * @throws IllegalStateException    if the base was freed
     */
    void once(int what, Duration timeout, EventCallback callback, Object arg);

    /**
     * Runs {@code task} on the callback thread at the next round (priority {@code priorities()/2}),
     * after the current callback returns: the deferred-callback queue. On a freed base the task is
     * dropped. libevent has no public counterpart (internally {@code event_deferred_cb_schedule_});
     * unlike it, each task given is run once, in order. Any thread.
     */
    void execute(Runnable task);

    /** Returns the base's clock, cached at the start of the loop round, in nanoseconds. libevent: {@code event_base_gettimeofday_cached}. Any thread. */
    long cachedNanoTime();

    /** Returns the statistics that the metrics module reads. libevent has no counterpart. Any thread. */
    EventBaseStats stats();

    /**
     * Stops the loop, frees every bufferevent, listener and event of the base, and waits (bounded)
     * for a thread started by {@link #start()} to end. libevent: {@code event_base_free}. Any thread;
     * from the callback thread the loop ends when the current callback returns.
     */
    void free();

    /** Same as {@link #free()}. libevent: {@code event_base_free}. */
    @Override
    default void close() {
        free();
    }
}
