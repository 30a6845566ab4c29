package dev.loomevent.api.stats;

import java.util.List;

/**
 * The statistics of every live event base and listener of the process, which the metrics module
 * binds ({@code Loomevent.statistics()}). libevent has no counterpart.
 * <p>Any thread.
 */
public interface StatisticsRegistry {

    /**
     * Told when a base or listener appears or goes away. Called on the thread that created or freed
     * it, so the methods must be quick and thread-safe.
     * <p>While {@link #observe} replays the live bases, a base may be created or freed on another
     * thread: the observer may then be told of the same base twice, or of its removal before its
     * addition. Observers key by identity, ignore repeats, and after an addition check that the base
     * is still in {@link #bases()} (the metrics binder does).
     */
    interface Observer {
        /** A base was created. */
        default void baseAdded(EventBaseStats stats) {
        }

        /** A base was freed. */
        default void baseRemoved(EventBaseStats stats) {
        }

        /** A listener was created. */
        default void listenerAdded(ListenerStats stats) {
        }

        /** A listener was freed. */
        default void listenerRemoved(ListenerStats stats) {
        }
    }

    /** Returns the live bases' statistics: a snapshot, in creation order. Any thread. */
    List<EventBaseStats> bases();

    /** Returns the live listeners' statistics: a snapshot, in creation order. Any thread. */
    List<ListenerStats> listeners();

    /**
     * Adds an observer and tells it at once, on the calling thread, of every live base and listener.
     * Any thread.
     *
     * @return an action that removes the observer; a call already under way on another thread may
     *         still arrive after it returns
     */
    AutoCloseable observe(Observer observer);
}
