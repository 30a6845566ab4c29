package dev.loomevent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class LoomeventMetricsTest {

    @Test
    void bindsTheBaseCountGauge() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new LoomeventMetrics().bindTo(registry);
        assertThat(registry.get("loomevent.bases").gauge().value()).isGreaterThanOrEqualTo(0.0);
    }
}
