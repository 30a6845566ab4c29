package dev.loomevent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.java21.instrument.binder.jdk.VirtualThreadMetrics;
import jdk.jfr.FlightRecorder;
import jdk.jfr.RecordingState;
import org.junit.jupiter.api.Test;

class VirtualThreadMetricsTest {
    private final FakeStatistics stats = new FakeStatistics();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void bindsMicrometersVirtualThreadMeters() {
        try (LoomeventMetrics metrics = new LoomeventMetrics(stats, Tags.of("app", "t"), true)) {
            metrics.bindTo(registry);

            assertThat(registry.get("jvm.threads.virtual.pinned").tag("app", "t").timer().count()).isZero();
            assertThat(registry.get("jvm.threads.virtual.submit.failed").tag("app", "t").counter().count())
                    .isZero();
        }
    }

    @Test
    void closingStopsTheJfrStreamAndRemovesTheMeters() {
        long before = runningRecordings();
        LoomeventMetrics metrics = new LoomeventMetrics(stats, Tags.empty(), true);
        metrics.bindTo(registry);
        assertThat(runningRecordings()).isEqualTo(before + 1);

        metrics.close();

        assertThat(runningRecordings()).isEqualTo(before);
        assertThat(registry.find("jvm.threads.virtual.pinned").meters()).isEmpty();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void withoutTheFlagNoJfrStreamStarts() {
        long before = runningRecordings();
        try (LoomeventMetrics metrics = new LoomeventMetrics(stats, Tags.empty(), false)) {
            metrics.bindTo(registry);

            assertThat(runningRecordings()).isEqualTo(before);
            assertThat(registry.find("jvm.threads.virtual.pinned").meters()).isEmpty();
        }
    }

    @Test
    void aRegistryThatHasThemAlreadyIsNotBoundTwice() {
        try (VirtualThreadMetrics own = new VirtualThreadMetrics()) {
            own.bindTo(registry);
            long before = runningRecordings();

            try (LoomeventMetrics metrics = new LoomeventMetrics(stats, Tags.empty(), true)) {
                metrics.bindTo(registry);
                assertThat(runningRecordings()).isEqualTo(before);
            }

            // The application's own meters stay: we did not register them, so we do not remove them.
            assertThat(registry.find("jvm.threads.virtual.pinned").timer()).isNotNull();
        }
    }

    private static long runningRecordings() {
        return FlightRecorder.getFlightRecorder().getRecordings().stream()
                .filter(r -> r.getState() == RecordingState.RUNNING)
                .count();
    }
}
