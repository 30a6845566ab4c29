package dev.loomevent.api;

import dev.loomevent.api.stats.StatisticsRegistry;

/**
 * Entry points that belong to no single object.
 * <p>libevent: the process-wide functions of {@code event2/event.h} ({@code event_get_version}).
 * <p>Any thread, for every method.
 */
public final class Loomevent {
    private Loomevent() {
    }

    /**
     * Returns the registry of every live event base and listener's statistics, which the metrics
     * module binds to. libevent has no counterpart. Any thread.
     */
    public static StatisticsRegistry statistics() {
        return ProviderHolder.provider().statistics();
    }

    /**
     * Returns the engine's version string (the runtime jar's {@code Implementation-Version}, else
     * {@code 0.1.0-SNAPSHOT}). libevent: {@code event_get_version}. Any thread.
     */
    public static String version() {
        return ProviderHolder.provider().version();
    }
}
