package dev.loomevent.loadtest.report;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value of one Micrometer meter of the server at the end of a run.
 * <p>Immutable.
 *
 * @param name         the meter's name
 * @param type         counter, gauge, timer, ...
 * @param baseUnit     its base unit, or empty
 * @param tags         its tags
 * @param measurements statistic (COUNT, VALUE, TOTAL_TIME, ...) to value
 */
public record MeterSnapshot(String name, String type, String baseUnit, Map<String, String> tags,
                            Map<String, Double> measurements) {

    /** Returns every meter of {@code registry}, sorted by name and tags. */
    public static List<MeterSnapshot> of(MeterRegistry registry) {
        List<MeterSnapshot> out = new ArrayList<>();
        for (Meter m : registry.getMeters()) {
            Map<String, String> tags = new LinkedHashMap<>();
            for (Tag t : m.getId().getTags()) {
                tags.put(t.getKey(), t.getValue());
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (Measurement x : m.measure()) {
                values.put(x.getStatistic().name(), x.getValue());
            }
            String unit = m.getId().getBaseUnit();
            out.add(new MeterSnapshot(m.getId().getName(), m.getId().getType().name().toLowerCase(),
                    unit == null ? "" : unit, tags, values));
        }
        out.sort(Comparator.comparing(MeterSnapshot::name).thenComparing(s -> s.tags().toString()));
        return out;
    }

    /** Returns the snapshot as one line of text, which {@link #parseLine} reads back (a child server sends these). */
    public String toLine() {
        StringBuilder sb = new StringBuilder("METER\t").append(enc(name)).append('\t').append(type).append('\t')
                .append(enc(baseUnit)).append('\t');
        tags.forEach((k, v) -> sb.append(enc(k)).append('=').append(enc(v)).append(','));
        sb.append('\t');
        measurements.forEach((k, v) -> sb.append(k).append('=').append(v).append(','));
        return sb.toString();
    }

    /**
     * Reads a line written by {@link #toLine()}.
     *
     * @throws IllegalArgumentException if {@code line} is not such a line
     */
    public static MeterSnapshot parseLine(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 6 || !f[0].equals("METER")) {
            throw new IllegalArgumentException("not a meter line: " + line);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String kv : f[4].split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                tags.put(dec(kv.substring(0, eq)), dec(kv.substring(eq + 1)));
            }
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (String kv : f[5].split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                values.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
            }
        }
        return new MeterSnapshot(dec(f[1]), f[2], dec(f[3]), tags, values);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
