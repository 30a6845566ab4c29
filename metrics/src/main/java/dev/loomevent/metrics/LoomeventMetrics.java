package dev.loomevent.metrics;

import dev.loomevent.api.Loomevent;
import dev.loomevent.api.stats.StatisticsRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Binds loomevent's statistics to a Micrometer registry.
 * <p>Any thread may call {@link #bindTo}; meters read the statistics lock-free when scraped.
 */
public final class LoomeventMetrics implements MeterBinder {
    private final StatisticsRegistry statistics;

    /** Binds the process-wide statistics ({@link Loomevent#statistics()}). */
    public LoomeventMetrics() {
        this(Loomevent.statistics());
    }

    /** Binds the statistics of {@code statistics}. */
    public LoomeventMetrics(StatisticsRegistry statistics) {
        this.statistics = Objects.requireNonNull(statistics, "statistics");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("loomevent.bases", statistics, s -> s.bases().size())
                .description("Live event bases")
                .register(registry);
    }
}
