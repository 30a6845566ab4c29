package dev.loomevent.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.java21.instrument.binder.jdk.VirtualThreadMetrics;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Micrometer's {@link VirtualThreadMetrics} in one registry, with what Micrometer's binder lacks:
 * closing removes its meters, not only its JFR recording stream.
 * <p>Called by the binder under its lock; not for concurrent use on its own.
 */
final class VirtualThreadBinding {
    /** The prefix of every meter {@link VirtualThreadMetrics} registers. */
    static final String PREFIX = "jvm.threads.virtual.";
    private static final String PINNED = PREFIX + "pinned";

    private final MeterRegistry registry;
    private final VirtualThreadMetrics metrics;
    private final List<Meter> meters;

    private VirtualThreadBinding(MeterRegistry registry, VirtualThreadMetrics metrics, List<Meter> meters) {
        this.registry = registry;
        this.metrics = metrics;
        this.meters = meters;
    }

    /**
     * Binds virtual-thread metrics to {@code registry}, or returns null when that registry already
     * has them (bound by the application or a framework: a second JFR stream would count every
     * pinned thread twice into the same timer) or when JFR is not available in this JVM.
     */
    static VirtualThreadBinding bind(MeterRegistry registry, Tags tags) {
        // By name alone: an application's own binding has none of our tags, and is still the same stream.
        if (registry.find(PINNED).meter() != null) {
            return null;
        }
        Set<Meter.Id> before = new HashSet<>();
        registry.forEachMeter(m -> before.add(m.getId()));
        VirtualThreadMetrics metrics;
        try {
            // The constructor starts the JFR recording stream.
            metrics = new VirtualThreadMetrics(tags);
        } catch (RuntimeException | LinkageError e) {
            System.getLogger(LoomeventMetrics.class.getName()).log(System.Logger.Level.WARNING,
                    "virtual-thread metrics unavailable (JFR missing or disabled in this JVM)", e);
            return null;
        }
        try {
            metrics.bindTo(registry);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        List<Meter> added = registry.getMeters().stream()
                .filter(m -> !before.contains(m.getId()) && m.getId().getName().startsWith(PREFIX))
                .toList();
        return new VirtualThreadBinding(registry, metrics, added);
    }

    /** Stops the JFR recording stream and removes the meters. */
    void close() {
        metrics.close();
        meters.forEach(registry::remove);
    }
}
