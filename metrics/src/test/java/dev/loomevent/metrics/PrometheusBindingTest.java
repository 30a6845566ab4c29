package dev.loomevent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.Direction;
import dev.loomevent.api.stats.CallbackKind;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrometheusBindingTest {
    private final FakeStatistics stats = new FakeStatistics();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LoomeventMetrics metrics = new LoomeventMetrics(stats, Tags.of("app", "echo"), false);

    @AfterEach
    void close() {
        metrics.close();
        registry.close();
    }

    @Test
    void scrapeShowsTheKnownValuesInPrometheusUnits() {
        FakeStatistics.Base b = stats.addBase("main");
        b.bytesRead = 1234;
        b.bytesWritten = 1200;
        b.opened = 3;
        b.closed = 1;
        b.callbacks[CallbackKind.READ.ordinal()] = 40;
        b.callbackNanos[CallbackKind.READ.ordinal()] = 2_000_000_000L;
        b.highWatermarkNanos = 250_000_000L;
        b.timeouts[Direction.READ.ordinal()] = 2;
        FakeStatistics.Listener l = stats.addListener("/127.0.0.1:9995");
        l.accepted = 3;
        metrics.bindTo(registry);

        String scrape = registry.scrape();

        assertThat(scrape).contains(
                "loomevent_io_bytes_total{app=\"echo\",base=\"main\",direction=\"read\"} 1234.0",
                "loomevent_io_bytes_total{app=\"echo\",base=\"main\",direction=\"write\"} 1200.0",
                "loomevent_connections_opened_total{app=\"echo\",base=\"main\"} 3.0",
                "loomevent_connections_open{app=\"echo\",base=\"main\"} 2.0",
                "loomevent_callbacks_seconds_count{app=\"echo\",base=\"main\",kind=\"read\"} 40",
                "loomevent_callbacks_seconds_sum{app=\"echo\",base=\"main\",kind=\"read\"} 2.0",
                "loomevent_read_backpressure_seconds_total{app=\"echo\",base=\"main\"} 0.25",
                "loomevent_timeouts_total{app=\"echo\",base=\"main\",direction=\"read\"} 2.0",
                "loomevent_listener_accepted_total{app=\"echo\",listener=\"/127.0.0.1:9995\"} 3.0",
                "loomevent_bases{app=\"echo\"} 1.0");
    }

    @Test
    void scrapeLosesTheSeriesOfAFreedBase() {
        FakeStatistics.Base b = stats.addBase("short-lived");
        metrics.bindTo(registry);
        assertThat(registry.scrape()).contains("base=\"short-lived\"");

        stats.removeBase(b);

        assertThat(registry.scrape()).doesNotContain("short-lived");
    }
}
