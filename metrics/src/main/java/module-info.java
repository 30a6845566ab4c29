/**
 * Micrometer metrics for loomevent: a {@code MeterBinder} over the statistics view of
 * {@code dev.loomevent.api}. Depends on the API and Micrometer only.
 */
module dev.loomevent.metrics {
    requires dev.loomevent.api;
    requires micrometer.core;
    requires micrometer.java21;

    exports dev.loomevent.metrics;
}
