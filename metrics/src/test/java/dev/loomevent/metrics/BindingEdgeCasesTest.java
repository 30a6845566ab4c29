package dev.loomevent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.java21.instrument.binder.jdk.VirtualThreadMetrics;
import java.util.List;
import jdk.jfr.FlightRecorder;
import jdk.jfr.RecordingState;
import org.junit.jupiter.api.Test;

/** Binding the binder more than once, and next to an application's own virtual-thread metrics. */
class BindingEdgeCasesTest {
    private final FakeStatistics stats = new FakeStatistics();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void bindingTwiceToOneRegistryDoesNothingTheSecondTime() {
        try (LoomeventMetrics metrics = new LoomeventMetrics(stats, Tags.empty(), false)) {
            FakeStatistics.Base a = stats.addBase("x");
            FakeStatistics.Base b = stats.addBase("x");
            metrics.bindTo(registry); // a -> x, b -> x#2
            stats.removeBase(a);
            metrics.bindTo(registry); // before: a second binding named b "x" too
            FakeStatistics.Base c = stats.addBase("x");
            b.bytesRead = 2;
            c.bytesRead = 3;
            List<Double> reads = registry.find("loomevent.io").tag("direction", "read").functionCounters()
                    .stream().map(f -> f.count()).toList();
            assertThat(reads).as("one series per live base").containsExactlyInAnyOrder(2.0, 3.0);
            assertThat(registry.get("loomevent.bases").gauge().value()).isEqualTo(2);
        }
    }

    @Test
    void aRegistryWithTheApplicationsOwnVirtualThreadMetricsIsNotGivenASecondStream() {
        try (VirtualThreadMetrics own = new VirtualThreadMetrics()) {
            own.bindTo(registry);
            long before = runningRecordings();
            try (LoomeventMetrics metrics = new LoomeventMetrics(stats, Tags.of("app", "echo"), true)) {
                metrics.bindTo(registry);
                assertThat(runningRecordings()).as("JFR streams").isEqualTo(before);
                assertThat(registry.find("jvm.threads.virtual.pinned").timers()).hasSize(1);
            }
        }
    }

    private static long runningRecordings() {
        return FlightRecorder.getFlightRecorder().getRecordings().stream()
                .filter(r -> r.getState() == RecordingState.RUNNING).count();
    }
}
