package dev.loomevent.metrics;

import dev.loomevent.api.stats.EventBaseStats;
import dev.loomevent.api.stats.ListenerStats;
import dev.loomevent.api.stats.StatisticsRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The meters of one {@link LoomeventMetrics} in one {@link MeterRegistry}: it observes the
 * statistics registry and adds the meters of each base and listener when it appears and removes them
 * when it goes.
 * <p>Any thread: the observer methods run on whichever thread created or freed a base or listener,
 * {@link #close} on the thread closing the binder; state guarded by {@code lock}. Scrapes never take
 * the lock: meters read the statistics, and the two gauges read volatile counts.
 */
final class Binding implements StatisticsRegistry.Observer {
    private final StatisticsRegistry statistics;
    private final MeterRegistry registry;
    private final Tags commonTags;

    /*
     * lock guards the two maps, the tag values in use, closed and subscription. Meter registration
     * happens under it so that a removal racing with an addition (a base freed while it is being
     * bound) always finds the meters to remove. Keys are compared by identity: two bases may have
     * equal names, and a statistics object may define equals however it likes.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<EventBaseStats, Source> bases = new IdentityHashMap<>();
    private final Map<ListenerStats, Source> listeners = new IdentityHashMap<>();
    private final Set<String> baseTagsInUse = new HashSet<>();
    private final Set<String> listenerTagsInUse = new HashSet<>();
    private final List<Meter> ownMeters = new ArrayList<>();
    private boolean closed;
    private AutoCloseable subscription;
    // Volatile: written under lock (publishCounts), read by the gauges on the scraping thread.
    private volatile int liveBases;
    private volatile int liveListeners;

    /** The meters registered for one base or listener, and the tag value it got. */
    private record Source(String tagValue, List<Meter> meters) {
    }

    Binding(StatisticsRegistry statistics, MeterRegistry registry, Tags commonTags) {
        this.statistics = statistics;
        this.registry = registry;
        this.commonTags = commonTags;
    }

    /** Returns the registry this binding registers in. Any thread. */
    MeterRegistry registry() {
        return registry;
    }

    /** Registers the process-wide gauges and starts observing. Called once, by the binder. */
    void start() {
        lock.lock();
        try {
            ownMeters.add(Gauge.builder("loomevent.bases", this, b -> b.liveBases)
                    .description("Live event bases").tags(commonTags).strongReference(true).register(registry));
            ownMeters.add(Gauge.builder("loomevent.listeners", this, b -> b.liveListeners)
                    .description("Live listeners").tags(commonTags).strongReference(true).register(registry));
        } finally {
            lock.unlock();
        }
        // Outside the lock: observe() calls back at once, and those calls take it.
        AutoCloseable s = statistics.observe(this);
        lock.lock();
        try {
            if (!closed) {
                subscription = s;
                return;
            }
        } finally {
            lock.unlock();
        }
        closeQuietly(s);
    }

    @Override
    public void baseAdded(EventBaseStats stats) {
        add(stats, bases, baseTagsInUse, MeterTables.BASE_TAG, MeterTables.BASE, EventBaseStats::name);
        // A base freed between the registry's replay snapshot and our registration was announced
        // gone before we knew it: check and undo, so its meters cannot leak.
        if (statistics.bases().stream().noneMatch(b -> b == stats)) {
            baseRemoved(stats);
        }
    }

    @Override
    public void baseRemoved(EventBaseStats stats) {
        remove(stats, bases, baseTagsInUse);
    }

    @Override
    public void listenerAdded(ListenerStats stats) {
        add(stats, listeners, listenerTagsInUse, MeterTables.LISTENER_TAG, MeterTables.LISTENER, ListenerStats::name);
        if (statistics.listeners().stream().noneMatch(l -> l == stats)) {
            listenerRemoved(stats);
        }
    }

    @Override
    public void listenerRemoved(ListenerStats stats) {
        remove(stats, listeners, listenerTagsInUse);
    }

    /** Registers the meters of {@code stats} unless closed or already known; true if it did. */
    private <S> boolean add(S stats, Map<S, Source> known, Set<String> tagsInUse, String tagKey,
                            List<MeterDef<S>> table, Function<S, String> name) {
        lock.lock();
        try {
            if (closed || known.containsKey(stats)) {
                return false;
            }
            String tagValue = uniqueTagValue(name.apply(stats), tagsInUse);
            Tags tags = commonTags.and(tagKey, tagValue);
            List<Meter> meters = new ArrayList<>(table.size());
            for (MeterDef<S> def : table) {
                meters.add(def.register(stats, tags, registry));
            }
            known.put(stats, new Source(tagValue, meters));
            publishCounts();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Publishes the live counts for the gauges. Lock held: two changes cannot publish out of order. */
    private void publishCounts() {
        liveBases = bases.size();
        liveListeners = listeners.size();
    }

    /** Removes the meters of {@code stats} if it is known; true if it did. */
    private <S> boolean remove(S stats, Map<S, Source> known, Set<String> tagsInUse) {
        lock.lock();
        try {
            Source source = known.remove(stats);
            if (source == null) {
                return false;
            }
            source.meters().forEach(registry::remove);
            tagsInUse.remove(source.tagValue());
            publishCounts();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns {@code name}, or {@code name#2}, {@code name#3}… when a live source of this binding
     * already uses it: two meters with one id would be one meter, read from the first source only.
     */
    private static String uniqueTagValue(String name, Set<String> inUse) {
        String value = name;
        for (int n = 2; !inUse.add(value); n++) {
            value = name + "#" + n;
        }
        return value;
    }

    /** Stops observing and removes every meter this binding registered. Idempotent. */
    void close() {
        AutoCloseable s;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            s = subscription;
            subscription = null;
            bases.values().forEach(src -> src.meters().forEach(registry::remove));
            listeners.values().forEach(src -> src.meters().forEach(registry::remove));
            ownMeters.forEach(registry::remove);
            bases.clear();
            listeners.clear();
            baseTagsInUse.clear();
            listenerTagsInUse.clear();
            ownMeters.clear();
            liveBases = 0;
            liveListeners = 0;
        } finally {
            lock.unlock();
        }
        if (s != null) {
            closeQuietly(s);
        }
    }

    private static void closeQuietly(AutoCloseable s) {
        try {
            s.close();
        } catch (Exception e) {
            System.getLogger(LoomeventMetrics.class.getName())
                    .log(System.Logger.Level.WARNING, "could not stop observing loomevent statistics", e);
        }
    }
}
