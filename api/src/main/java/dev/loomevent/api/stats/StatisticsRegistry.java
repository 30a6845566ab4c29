package dev.loomevent.api.stats;

import java.util.List;

/**
 * The statistics of every live event base and listener of the process.
 * <p>Any thread.
 */
public interface StatisticsRegistry {

    /** Told when a base or listener appears or goes away. Called on the thread that created or freed it. */
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

    /** Returns the live bases' statistics. */
    List<EventBaseStats> bases();

    /** Returns the live listeners' statistics. */
    List<ListenerStats> listeners();

    /**
     * Adds an observer and tells it at once of every live base and listener.
     *
     * @return an action that removes the observer
     */
    AutoCloseable observe(Observer observer);
}
