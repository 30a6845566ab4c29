package dev.loomevent.runtime.internal.base;

import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.EventBaseGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime's {@link EventBaseGroup}: {@code n} bases, each started on its own callback thread.
 * <p>Any thread; the list of bases never changes, the round-robin cursor is atomic.
 */
public final class EventBaseGroupImpl implements EventBaseGroup {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final List<EventBase> bases;
    private final AtomicInteger cursor = new AtomicInteger();

    /**
     * Creates and starts {@code n} bases configured by {@code template}, named {@code <name>-<i>}.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public EventBaseGroupImpl(int n, EventBaseConfig template) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, was " + n);
        }
        Objects.requireNonNull(template, "template");
        String prefix = template.name() != null ? template.name() : "eventbase-group-" + SEQUENCE.incrementAndGet();
        List<EventBase> list = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                EventBaseImpl b = new EventBaseImpl(template.withName(prefix + "-" + i));
                list.add(b);
                b.start();
            }
        } catch (RuntimeException | Error e) {
            list.forEach(EventBase::free);
            throw e;
        }
        this.bases = List.copyOf(list);
    }

    @Override
    public List<EventBase> bases() {
        return bases;
    }

    @Override
    public EventBase next(Distribution distribution) {
        Objects.requireNonNull(distribution, "distribution");
        return switch (distribution) {
            case ROUND_ROBIN -> roundRobin();
            case FEWEST_CONNECTIONS -> fewest();
        };
    }

    /**
     * Freed members are skipped (a connection handed to one would be closed unseen, and a freed
     * base reports no open connection, so it would win every FEWEST_CONNECTIONS choice). When all
     * are freed, one of them: it refuses what is handed to it.
     */
    private EventBase roundRobin() {
        int n = bases.size();
        int start = Math.floorMod(cursor.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            EventBase b = bases.get((start + i) % n);
            if (!isFreed(b)) {
                return b;
            }
        }
        return bases.get(start);
    }

    /** Ties go round-robin so that an idle group still spreads its first connections. */
    private EventBase fewest() {
        int n = bases.size();
        int start = Math.floorMod(cursor.getAndIncrement(), n);
        EventBase best = null;
        long bestOpen = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            EventBase b = bases.get((start + i) % n);
            if (isFreed(b)) {
                continue;
            }
            long open = b.stats().connectionsOpen();
            if (open < bestOpen) {
                best = b;
                bestOpen = open;
            }
        }
        return best != null ? best : bases.get(start);
    }

    private static boolean isFreed(EventBase b) {
        return CallbackScheduler.of(b).isFreed();
    }

    @Override
    public void free() {
        bases.forEach(EventBase::free);
    }

    @Override
    public String toString() {
        return "EventBaseGroup" + bases;
    }
}
