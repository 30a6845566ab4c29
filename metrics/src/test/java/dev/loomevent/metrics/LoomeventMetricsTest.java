package dev.loomevent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomevent.api.Direction;
import dev.loomevent.api.stats.CallbackKind;
import dev.loomevent.api.stats.EventBaseStats;
import dev.loomevent.api.stats.ListenerStats;
import dev.loomevent.api.stats.StatisticsRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoomeventMetricsTest {
    private final FakeStatistics stats = new FakeStatistics();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LoomeventMetrics metrics = new LoomeventMetrics(stats, Tags.empty(), false);

    @AfterEach
    void closeBinder() {
        metrics.close();
    }

    @Test
    void baseMetersReadTheBaseStatistics() {
        FakeStatistics.Base b = stats.addBase("b1");
        b.opened = 10;
        b.closed = 3;
        b.bytesRead = 1234;
        b.bytesWritten = 4321;
        b.timeouts[Direction.READ.ordinal()] = 5;
        b.timeouts[Direction.WRITE.ordinal()] = 6;
        b.eofs[Direction.READ.ordinal()] = 7;
        b.errors[Direction.WRITE.ordinal()] = 8;
        b.callbacks[CallbackKind.READ.ordinal()] = 100;
        b.callbackNanos[CallbackKind.READ.ordinal()] = 2_500_000_000L;
        b.callbacks[CallbackKind.EVENT.ordinal()] = 4;
        b.callbackNanos[CallbackKind.EVENT.ordinal()] = 1_000;
        b.callbackExceptions = 2;
        b.activationsQueued = 150;
        b.activationQueueDepth = 12;
        b.deferredQueueDepth = 9;
        b.loopIterations = 77;
        b.pendingTimers = 4;
        b.highWatermarkNanos = 1_500_000_000L;
        b.outputAboveWatermark = 65_536;
        metrics.bindTo(registry);

        assertThat(counter("loomevent.connections.opened", "base", "b1")).isEqualTo(10);
        assertThat(counter("loomevent.connections.closed", "base", "b1")).isEqualTo(3);
        assertThat(gauge("loomevent.connections.open", "base", "b1")).isEqualTo(7);
        assertThat(counter("loomevent.io", "base", "b1", "direction", "read")).isEqualTo(1234);
        assertThat(counter("loomevent.io", "base", "b1", "direction", "write")).isEqualTo(4321);
        assertThat(counter("loomevent.timeouts", "base", "b1", "direction", "read")).isEqualTo(5);
        assertThat(counter("loomevent.timeouts", "base", "b1", "direction", "write")).isEqualTo(6);
        assertThat(counter("loomevent.eofs", "base", "b1", "direction", "read")).isEqualTo(7);
        assertThat(counter("loomevent.eofs", "base", "b1", "direction", "write")).isZero();
        assertThat(counter("loomevent.errors", "base", "b1", "direction", "read")).isZero();
        assertThat(counter("loomevent.errors", "base", "b1", "direction", "write")).isEqualTo(8);
        var read = registry.get("loomevent.callbacks").tags("base", "b1", "kind", "read").functionTimer();
        assertThat(read.count()).isEqualTo(100);
        assertThat(read.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(2_500_000_000.0);
        assertThat(read.totalTime(TimeUnit.SECONDS)).isEqualTo(2.5);
        var event = registry.get("loomevent.callbacks").tags("base", "b1", "kind", "event").functionTimer();
        assertThat(event.count()).isEqualTo(4);
        assertThat(event.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(1_000.0);
        assertThat(registry.get("loomevent.callbacks").tags("base", "b1", "kind", "write").functionTimer().count())
                .isZero();
        assertThat(counter("loomevent.callback.exceptions", "base", "b1")).isEqualTo(2);
        assertThat(counter("loomevent.activations.queued", "base", "b1")).isEqualTo(150);
        assertThat(gauge("loomevent.activation.queue.depth", "base", "b1")).isEqualTo(12);
        assertThat(gauge("loomevent.deferred.queue.depth", "base", "b1")).isEqualTo(9);
        assertThat(counter("loomevent.loop.iterations", "base", "b1")).isEqualTo(77);
        assertThat(gauge("loomevent.timers.pending", "base", "b1")).isEqualTo(4);
        assertThat(counter("loomevent.read.backpressure", "base", "b1")).isEqualTo(1.5);
        assertThat(gauge("loomevent.output.above.watermark", "base", "b1")).isEqualTo(65_536);
        assertThat(gauge("loomevent.bases")).isEqualTo(1);
    }

    @Test
    void metersFollowTheStatisticsAsTheyMove() {
        FakeStatistics.Base b = stats.addBase("b1");
        metrics.bindTo(registry);
        assertThat(counter("loomevent.io", "base", "b1", "direction", "read")).isZero();

        b.bytesRead = 64;
        b.activationQueueDepth = 3;

        assertThat(counter("loomevent.io", "base", "b1", "direction", "read")).isEqualTo(64);
        assertThat(gauge("loomevent.activation.queue.depth", "base", "b1")).isEqualTo(3);
    }

    @Test
    void listenerMetersReadTheListenerStatistics() {
        FakeStatistics.Listener l = stats.addListener("/127.0.0.1:9995");
        l.accepted = 20;
        l.acceptErrors = 1;
        l.closed = 15;
        l.bytesRead = 300;
        l.bytesWritten = 200;
        metrics.bindTo(registry);

        String tag = "/127.0.0.1:9995";
        assertThat(counter("loomevent.listener.accepted", "listener", tag)).isEqualTo(20);
        assertThat(counter("loomevent.listener.accept.errors", "listener", tag)).isEqualTo(1);
        assertThat(counter("loomevent.listener.connections.closed", "listener", tag)).isEqualTo(15);
        assertThat(gauge("loomevent.listener.connections.open", "listener", tag)).isEqualTo(5);
        assertThat(counter("loomevent.listener.io", "listener", tag, "direction", "read")).isEqualTo(300);
        assertThat(counter("loomevent.listener.io", "listener", tag, "direction", "write")).isEqualTo(200);
        assertThat(gauge("loomevent.listeners")).isEqualTo(1);
    }

    @Test
    void baseCreatedAfterBindingGetsItsMeters() {
        metrics.bindTo(registry);
        assertThat(registry.find("loomevent.io").meters()).isEmpty();

        FakeStatistics.Base b = stats.addBase("late");
        b.bytesWritten = 99;

        assertThat(counter("loomevent.io", "base", "late", "direction", "write")).isEqualTo(99);
        assertThat(gauge("loomevent.bases")).isEqualTo(1);
    }

    @Test
    void metersOfAFreedBaseDisappear() {
        FakeStatistics.Base gone = stats.addBase("gone");
        stats.addBase("kept");
        metrics.bindTo(registry);
        int perBase = metersTagged("base", "kept").size();

        stats.removeBase(gone);

        assertThat(metersTagged("base", "gone")).isEmpty();
        assertThat(metersTagged("base", "kept")).hasSize(perBase).hasSize(MeterTables.BASE.size());
        assertThat(gauge("loomevent.bases")).isEqualTo(1);
    }

    @Test
    void metersOfAFreedListenerDisappear() {
        FakeStatistics.Listener l = stats.addListener("/127.0.0.1:1");
        metrics.bindTo(registry);
        assertThat(metersTagged("listener", "/127.0.0.1:1")).hasSize(MeterTables.LISTENER.size());

        stats.removeListener(l);

        assertThat(metersTagged("listener", "/127.0.0.1:1")).isEmpty();
        assertThat(gauge("loomevent.listeners")).isZero();
    }

    @Test
    void manyBasesComingAndGoingLeaveNoMeters() {
        metrics.bindTo(registry);
        int before = registry.getMeters().size();

        for (int i = 0; i < 200; i++) {
            stats.removeBase(stats.addBase("b" + i));
            stats.removeListener(stats.addListener("l" + i));
        }

        assertThat(registry.getMeters()).hasSize(before);
    }

    @Test
    void basesWithEqualNamesGetDistinctTagValues() {
        FakeStatistics.Base first = stats.addBase("same");
        FakeStatistics.Base second = stats.addBase("same");
        first.bytesRead = 1;
        second.bytesRead = 2;
        metrics.bindTo(registry);

        assertThat(counter("loomevent.io", "base", "same", "direction", "read")).isEqualTo(1);
        assertThat(counter("loomevent.io", "base", "same#2", "direction", "read")).isEqualTo(2);

        stats.removeBase(first);
        FakeStatistics.Base third = stats.addBase("same");
        third.bytesRead = 3;

        assertThat(counter("loomevent.io", "base", "same", "direction", "read")).isEqualTo(3);
        assertThat(counter("loomevent.io", "base", "same#2", "direction", "read")).isEqualTo(2);
    }

    @Test
    void baseFreedWhileTheObserverIsReplayedLeavesNoMeters() {
        // The registry replays a base that was freed after its snapshot, and the freeing thread
        // told the observer before the replay reached it: the base is announced gone, then added.
        FakeStatistics.Base stale = new FakeStatistics.Base("stale");
        StatisticsRegistry racing = new StatisticsRegistry() {
            @Override
            public List<EventBaseStats> bases() {
                return List.of();
            }

            @Override
            public List<ListenerStats> listeners() {
                return List.of();
            }

            @Override
            public AutoCloseable observe(Observer observer) {
                observer.baseRemoved(stale);
                observer.baseAdded(stale);
                return () -> { };
            }
        };
        try (LoomeventMetrics m = new LoomeventMetrics(racing, Tags.empty(), false)) {
            m.bindTo(registry);

            assertThat(metersTagged("base", "stale")).isEmpty();
            assertThat(gauge("loomevent.bases")).isZero();
        }
    }

    @Test
    void closeRemovesEveryMeterAndStopsObserving() {
        stats.addBase("b1");
        stats.addListener("l1");
        metrics.bindTo(registry);
        assertThat(registry.getMeters()).isNotEmpty();

        metrics.close();

        assertThat(registry.getMeters()).isEmpty();
        assertThat(stats.observers).isEmpty();
        stats.addBase("after");
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void closeIsIdempotentAndBindingAfterCloseIsRejected() {
        metrics.bindTo(registry);
        metrics.close();
        metrics.close();

        assertThatThrownBy(() -> metrics.bindTo(registry))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void oneBinderServesTwoRegistriesAndClosingUnbindsBoth() {
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        FakeStatistics.Base b = stats.addBase("b1");
        b.loopIterations = 5;
        metrics.bindTo(registry);
        metrics.bindTo(other);

        assertThat(other.get("loomevent.loop.iterations").tag("base", "b1").functionCounter().count())
                .isEqualTo(5);
        assertThat(counter("loomevent.loop.iterations", "base", "b1")).isEqualTo(5);

        metrics.close();

        assertThat(registry.getMeters()).isEmpty();
        assertThat(other.getMeters()).isEmpty();
    }

    @Test
    void constructorTagsAreOnEveryMeter() {
        stats.addBase("b1");
        stats.addListener("l1");
        try (LoomeventMetrics tagged = new LoomeventMetrics(stats, Tags.of("app", "echo"), false)) {
            tagged.bindTo(registry);

            assertThat(registry.getMeters()).isNotEmpty()
                    .allSatisfy(m -> assertThat(m.getId().getTag("app")).isEqualTo("echo"));
        }
    }

    @Test
    void nullArgumentsAreRejectedByName() {
        assertThatThrownBy(() -> new LoomeventMetrics(null, Tags.empty(), false))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("statistics");
        assertThatThrownBy(() -> new LoomeventMetrics(stats, null, false))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("tags");
        assertThatThrownBy(() -> metrics.bindTo(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("registry");
    }

    @Test
    void noMeterCarriesAnUnboundedTag() {
        stats.addBase("b1");
        stats.addListener("l1");
        metrics.bindTo(registry);

        assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTags())
                .allSatisfy(t -> assertThat(t.getKey()).isIn("base", "listener", "kind", "direction")));
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    private List<Meter> metersTagged(String key, String value) {
        return registry.getMeters().stream().filter(m -> value.equals(m.getId().getTag(key))).toList();
    }
}
