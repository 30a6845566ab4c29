/**
 * Micrometer metrics for loomevent: a {@code MeterBinder} over the statistics view of
 * {@code dev.loomevent.api}. Depends on the API and Micrometer only.
 */
module dev.loomevent.metrics {
    requires dev.loomevent.api;
    requires micrometer.core;
    requires micrometer.java21;
    // Micrometer's VirtualThreadMetrics reads JFR, but as an automatic module it cannot say so:
    // requiring it here makes sure the module is in the layer of a modular application.
    requires jdk.jfr;

    exports dev.loomevent.metrics;
}
