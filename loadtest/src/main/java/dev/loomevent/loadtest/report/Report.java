package dev.loomevent.loadtest.report;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Everything one command measured: its runs (one per target), and their ratios to a baseline target
 * (libevent when it took part). Renders itself as JSON ({@link #toJson()}); {@link HtmlReport} and
 * {@link SummaryTable} render it for people.
 * <p>Immutable.
 *
 * @param command  the command line that produced it
 * @param runs     the runs, in the order they ran
 * @param baseline the target the ratios compare to, or null for none
 * @param rounds   the rounds of a {@code compare --rounds} run (then {@code runs} holds each target's
 *                 median round), or null
 */
public record Report(String command, List<RunResult> runs, String baseline, Rounds rounds) {

    /** Returns a report of {@code runs}, comparing to libevent when it ran, else to nothing (single run) or the first. */
    public static Report of(String command, List<RunResult> runs) {
        String base = null;
        if (runs.size() > 1) {
            base = runs.stream().anyMatch(r -> r.target().equals("libevent")) ? "libevent" : runs.get(0).target();
        }
        return new Report(command, List.copyOf(runs), base, null);
    }

    /**
     * Returns a report of a comparison in rounds: its runs are each target's run of its median round
     * ({@link Rounds#representative}), its ratios those of {@code rounds}' baseline.
     */
    public static Report of(String command, Rounds rounds) {
        List<RunResult> runs = rounds.targets().stream().map(rounds::representative).toList();
        return new Report(command, runs, rounds.baseline(), rounds);
    }

    /** Returns whether any run failed, in any round. */
    public boolean failed() {
        return allRuns().stream().anyMatch(r -> r.failure() != null);
    }

    /** Returns every run: {@link #runs()}, or with rounds every run of every round. */
    public List<RunResult> allRuns() {
        return rounds == null ? runs : rounds.rounds().stream().flatMap(List::stream).toList();
    }

    /** Returns the baseline's run, or null. */
    public RunResult baselineRun() {
        return baseline == null ? null : runs.stream().filter(r -> r.target().equals(baseline)).findFirst().orElse(null);
    }

    /** Returns the report as JSON. */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", "loomevent-loadtest");
        root.put("command", command);
        root.put("createdAt", Instant.now().toString());
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("cpus", machineCpus());
        host.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        host.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        host.put("clientPid", ManagementFactory.getRuntimeMXBean().getPid());
        root.put("host", host);
        root.put("baseline", baseline);
        List<Object> list = new ArrayList<>();
        for (RunResult r : runs) {
            list.add(run(r));
        }
        root.put("runs", list);
        if (rounds != null) {
            root.put("rounds", rounds.toMap());
        }
        root.put("failed", failed());
        return Json.write(root);
    }

    private Map<String, Object> run(RunResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", r.target());
        m.put("targetDescription", r.targetDescription());
        m.put("scenario", r.scenario());
        m.put("startedAt", r.startedAt().toString());
        m.put("options", r.options());
        m.put("failure", r.failure());
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("transport", r.clientTransport());
        client.put("cpus", r.clientCpus());
        client.put("cpuCores", r.clientCores());
        client.put("bottleneck", r.clientBound());
        client.put("cpuMicrosPerMessage", r.clientCpuMicrosPerMessage() < 0 ? null : r.clientCpuMicrosPerMessage());
        m.put("client", client);
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("pid", r.serverPid());
        server.put("inProcess", r.serverInProcess());
        server.put("cpus", r.serverCpus());
        server.put("cpuCores", r.serverCores() < 0 ? null : r.serverCores());
        server.put("saturated", r.serverBound());
        server.put("cpuMicrosPerMessage", r.serverCpuMicrosPerMessage() < 0 ? null : r.serverCpuMicrosPerMessage());
        if (r.memory() != null) {
            MemoryResult mem = r.memory();
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("connections", mem.connections());
            mm.put("rssBeforeKb", mem.rssBeforeKb());
            mm.put("rssAfterKb", mem.rssAfterKb());
            mm.put("liveHeapBeforeKb", mem.heapBeforeKb());
            mm.put("liveHeapAfterKb", mem.heapAfterKb());
            mm.put("rssKbPerConnection", mem.rssKbPerConnection());
            mm.put("heapKbPerConnection", mem.heapKbPerConnection());
            mm.put("totalKbPerConnection", mem.totalKbPerConnection());
            mm.put("note", mem.note());
            server.put("memory", mm);
        }
        m.put("server", server);
        List<Object> parts = new ArrayList<>();
        for (PartResult p : r.parts()) {
            parts.add(part(p, r));
        }
        m.put("parts", parts);
        List<Object> cpu = new ArrayList<>();
        for (CpuSample c : r.cpu()) {
            cpu.add(List.of(c.end(), c.clientCores(), c.serverCores()));
        }
        m.put("cpuTimeline", Map.of("columns", List.of("endSeconds", "clientCores", "serverCores"), "rows", cpu));
        List<Object> meters = new ArrayList<>();
        for (MeterSnapshot s : r.serverMetrics()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("name", s.name());
            mm.put("type", s.type());
            mm.put("baseUnit", s.baseUnit());
            mm.put("tags", s.tags());
            mm.put("measurements", s.measurements());
            meters.add(mm);
        }
        m.put("serverMetrics", meters);
        return m;
    }

    private Map<String, Object> part(PartResult p, RunResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("messages", p.messages());
        m.put("bytes", p.bytes());
        m.put("connects", p.connects());
        m.put("errors", p.errors());
        m.put("seconds", p.seconds());
        m.put("messagesPerSecond", p.messagesPerSecond());
        m.put("megabytesPerSecond", p.megabytesPerSecond());
        m.put("connectsPerSecond", p.connectsPerSecond());
        Map<String, Object> lat = new LinkedHashMap<>();
        Histogram h = p.latency();
        lat.put("count", h.getTotalCount());
        lat.put("mean", h.getTotalCount() == 0 ? 0.0 : h.getMean() / 1e3);
        for (double q : new double[] {50, 90, 99, 99.9, 99.99}) {
            lat.put("p" + (q == Math.rint(q) ? Long.toString((long) q) : Double.toString(q)), p.latencyMicros(q));
        }
        lat.put("max", p.maxLatencyMicros());
        m.put("latencyMicros", lat);
        m.put("percentileDistribution", Map.of("columns", List.of("percentile", "micros"), "rows", distribution(h)));
        List<Object> rows = new ArrayList<>();
        for (Sample s : p.timeline()) {
            rows.add(List.of(s.end(), s.seconds(), s.warmup() ? 1 : 0, s.messages(), s.bytes(), s.connects(), s.errors(),
                    s.open(), s.p50Nanos() / 1e3, s.p99Nanos() / 1e3, s.maxNanos() / 1e3));
        }
        m.put("timeline", Map.of("columns", List.of("endSeconds", "seconds", "warmup", "messages", "bytes", "connects",
                "errors", "open", "p50Micros", "p99Micros", "maxMicros"), "rows", rows));
        RunResult base = baselineRun();
        if (base != null && base != r && base.part(p.name()) != null) {
            PartResult b = base.part(p.name());
            Map<String, Object> ratio = new LinkedHashMap<>();
            ratio.put("to", baseline);
            ratio.put("messagesPerSecond", ratio(p.messagesPerSecond(), b.messagesPerSecond()));
            ratio.put("megabytesPerSecond", ratio(p.megabytesPerSecond(), b.megabytesPerSecond()));
            ratio.put("connectsPerSecond", ratio(p.connectsPerSecond(), b.connectsPerSecond()));
            ratio.put("p99", ratio(p.latencyMicros(99), b.latencyMicros(99)));
            if (r.serverCpuMicrosPerMessage() > 0 && base.serverCpuMicrosPerMessage() > 0) {
                ratio.put("serverCpuPerMessage", ratio(r.serverCpuMicrosPerMessage(), base.serverCpuMicrosPerMessage()));
            }
            if (r.memory() != null && base.memory() != null) {
                ratio.put("kbPerConnection", ratio(r.memory().totalKbPerConnection(), base.memory().totalKbPerConnection()));
            }
            m.put("ratio", ratio);
        }
        return m;
    }

    /** Returns the machine's CPUs: this process may have pinned itself to fewer. */
    static int machineCpus() {
        String[] cpus = new java.io.File("/sys/devices/system/cpu").list((d, n) -> n.matches("cpu[0-9]+"));
        return cpus != null && cpus.length > 0 ? cpus.length : Runtime.getRuntime().availableProcessors();
    }

    /** Returns {@code a / b}, or null when {@code b} is 0. */
    static Double ratio(double a, double b) {
        return b == 0 ? null : a / b;
    }

    /** Returns HdrHistogram's percentile distribution of {@code h} as [percentile, micros] pairs. */
    static List<Object> distribution(Histogram h) {
        List<Object> rows = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return rows;
        }
        for (HistogramIterationValue v : h.percentiles(5)) {
            rows.add(List.of(v.getPercentileLevelIteratedTo(), v.getValueIteratedTo() / 1e3));
        }
        return rows;
    }
}
