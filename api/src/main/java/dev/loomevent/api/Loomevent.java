package dev.loomevent.api;

import dev.loomevent.api.stats.StatisticsRegistry;

/**
 * Entry points that belong to no single object.
 * <p>Any thread.
 */
public final class Loomevent {
    private Loomevent() {
    }

    /**
     * Returns the registry of every live event base and listener's statistics, which the metrics
     * module binds to. Any thread.
     */
    public static StatisticsRegistry statistics() {
        return ProviderHolder.provider().statistics();
    }

    /** Returns the engine's version string. Any thread. */
    public static String version() {
        return ProviderHolder.provider().version();
    }
}
