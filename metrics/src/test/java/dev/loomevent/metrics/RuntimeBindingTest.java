package dev.loomevent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import dev.loomevent.api.Loomevent;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The binder over the real engine's statistics registry: meters come with bases and go with them. */
@Timeout(30)
class RuntimeBindingTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aFreedBaseAndListenerOfTheEngineLoseTheirMeters() {
        try (LoomeventMetrics metrics = new LoomeventMetrics(Loomevent.statistics(), Tags.empty(), false)) {
            metrics.bindTo(registry);
            EventBase base = EventBase.create(EventBaseConfig.DEFAULT.withName("runtime-binding-test"));
            Listener listener = Listener.bind(base, (l, ch, peer, arg) -> { }, null,
                    EnumSet.of(ListenerOption.CLOSE_ON_FREE), -1,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String listenerTag = listener.stats().name();

            assertThat(tagged("base", "runtime-binding-test")).hasSize(MeterTables.BASE.size());
            assertThat(tagged("listener", listenerTag)).hasSize(MeterTables.LISTENER.size());
            assertThat(registry.get("loomevent.connections.open").tag("base", "runtime-binding-test").gauge().value())
                    .isZero();

            listener.free();
            base.free();

            assertThat(tagged("listener", listenerTag)).isEmpty();
            assertThat(tagged("base", "runtime-binding-test")).isEmpty();
        }
    }

    private List<Meter> tagged(String key, String value) {
        return registry.getMeters().stream().filter(m -> value.equals(m.getId().getTag(key))).toList();
    }
}
