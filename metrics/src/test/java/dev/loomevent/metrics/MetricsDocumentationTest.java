package dev.loomevent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Checks docs/metrics.md against what the binder registers, so the two cannot drift apart. */
class MetricsDocumentationTest {
    private static final Path DOC = Path.of("..", "docs", "metrics.md");
    /** Micrometer binds these only where jdk.management.VirtualThreadSchedulerMXBean exists. */
    private static final Set<String> JDK_24_GAUGES = Set.of(
            "jvm.threads.virtual.parallelism", "jvm.threads.virtual.pool.size", "jvm.threads.virtual.live");
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

    /** One row of a meter table of docs/metrics.md. */
    record Documented(String name, Meter.Type type, String baseUnit, Set<String> tagKeys, List<String> prometheus) {
    }

    @Test
    void everyRegisteredMeterIsDocumentedWithItsTypeUnitAndTags() throws IOException {
        Map<String, Documented> documented = documented();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (LoomeventMetrics metrics = boundWithOneOfEach(registry)) {
            Map<String, Meter> registered = new TreeMap<>();
            registry.getMeters().forEach(m -> registered.putIfAbsent(m.getId().getName(), m));

            assertThat(registered.keySet()).containsAll(
                    documented.keySet().stream().filter(n -> !JDK_24_GAUGES.contains(n)).toList());
            assertThat(documented.keySet()).containsAll(registered.keySet());
            for (Meter m : registry.getMeters()) {
                Documented d = documented.get(m.getId().getName());
                assertThat(m.getId().getType()).as(m.getId().getName()).isEqualTo(d.type());
                assertThat(m.getId().getBaseUnit()).as(m.getId().getName()).isEqualTo(d.baseUnit());
                Set<String> keys = m.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet());
                assertThat(keys).as(m.getId().getName()).isEqualTo(d.tagKeys());
            }
        }
    }

    @Test
    void everyDocumentedPrometheusSeriesIsScraped() throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (LoomeventMetrics metrics = boundWithOneOfEach(registry)) {
            String scrape = registry.scrape();
            Set<String> series = scrape.lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("[{ ]", 2)[0])
                    .collect(Collectors.toCollection(TreeSet::new));

            for (Documented d : documented().values()) {
                if (registry.find(d.name()).meter() == null) {
                    continue; // JDK-dependent virtual-thread gauges, checked where the JDK has them
                }
                assertThat(series).as(d.name()).containsAll(d.prometheus());
            }
        } finally {
            registry.close();
        }
    }

    private static LoomeventMetrics boundWithOneOfEach(io.micrometer.core.instrument.MeterRegistry registry) {
        FakeStatistics stats = new FakeStatistics();
        stats.addBase("b1");
        stats.addListener("l1");
        LoomeventMetrics metrics = new LoomeventMetrics(stats, Tags.empty(), true);
        metrics.bindTo(registry);
        return metrics;
    }

    /** Parses the meter tables: rows whose first cell is a ticked meter name. */
    static Map<String, Documented> documented() throws IOException {
        Map<String, Documented> rows = new TreeMap<>();
        for (String line : Files.readAllLines(DOC)) {
            if (!line.startsWith("| `loomevent.") && !line.startsWith("| `jvm.")) {
                continue;
            }
            String[] cells = line.split("\\|");
            // cells[0] is empty: the line starts with the separator.
            String name = ticked(cells[1]).get(0);
            Meter.Type type = Meter.Type.valueOf(cells[2].trim().toUpperCase(Locale.ROOT));
            String unit = cells[3].trim().equals("–") ? null : cells[3].trim();
            Set<String> tags = new TreeSet<>(ticked(cells[4]));
            rows.put(name, new Documented(name, type, unit, tags, ticked(cells[5])));
        }
        assertThat(rows).as("meter rows in " + DOC.toAbsolutePath()).hasSizeGreaterThan(20);
        return rows;
    }

    private static List<String> ticked(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = TICKED.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
