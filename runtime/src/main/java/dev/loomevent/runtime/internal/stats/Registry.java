package dev.loomevent.runtime.internal.stats;

import dev.loomevent.api.stats.EventBaseStats;
import dev.loomevent.api.stats.ListenerStats;
import dev.loomevent.api.stats.StatisticsRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The process-wide registry of live bases' and listeners' statistics.
 * <p>Any thread; the lists are copy-on-write because bases and listeners come and go rarely while
 * scrapes read them often.
 */
public final class Registry implements StatisticsRegistry {
    /** The one registry of the process. */
    public static final Registry INSTANCE = new Registry();

    private final List<EventBaseStats> bases = new CopyOnWriteArrayList<>();
    private final List<ListenerStats> listeners = new CopyOnWriteArrayList<>();
    private final List<Observer> observers = new CopyOnWriteArrayList<>();

    private Registry() {
    }

    @Override
    public List<EventBaseStats> bases() {
        return List.copyOf(bases);
    }

    @Override
    public List<ListenerStats> listeners() {
        return List.copyOf(listeners);
    }

    @Override
    public AutoCloseable observe(Observer observer) {
        observers.add(observer);
        bases.forEach(observer::baseAdded);
        listeners.forEach(observer::listenerAdded);
        return () -> observers.remove(observer);
    }

    /** Registers a new base's statistics and tells the observers. */
    public void addBase(EventBaseStats stats) {
        bases.add(stats);
        observers.forEach(o -> o.baseAdded(stats));
    }

    /** Forgets a freed base's statistics and tells the observers. */
    public void removeBase(EventBaseStats stats) {
        if (bases.remove(stats)) {
            observers.forEach(o -> o.baseRemoved(stats));
        }
    }

    /** Registers a new listener's statistics and tells the observers. */
    public void addListener(ListenerStats stats) {
        listeners.add(stats);
        observers.forEach(o -> o.listenerAdded(stats));
    }

    /** Forgets a freed listener's statistics and tells the observers. */
    public void removeListener(ListenerStats stats) {
        if (listeners.remove(stats)) {
            observers.forEach(o -> o.listenerRemoved(stats));
        }
    }
}
