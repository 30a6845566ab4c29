package dev.loomevent.loadtest.report;

import dev.loomevent.loadtest.scenario.Format;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The summary of a report: one row per target and part, with the ratio to the baseline, and the
 * notes a reader needs to trust it (client bottleneck, in-process server, failures).
 * <p>Immutable; static methods, any thread.
 */
public final class SummaryTable {
    /** The column headers. */
    public static final List<String> HEADERS = List.of("target", "part", "msg/s", "MB/s", "conn/s", "p50", "p99", "p99.9",
            "max", "errors", "client CPU", "server CPU", "srv µs/msg", "KB/conn", "vs baseline");

    private SummaryTable() {
    }

    /** Returns the rows of {@code report}, one per target and part. */
    public static List<List<String>> rows(Report report) {
        List<List<String>> rows = new ArrayList<>();
        RunResult base = report.baselineRun();
        for (RunResult r : report.runs()) {
            for (PartResult p : r.parts()) {
                List<String> row = new ArrayList<>();
                row.add(r.target());
                row.add(p.name());
                row.add(Format.count(p.messagesPerSecond()));
                row.add(p.bytes() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", p.megabytesPerSecond()));
                row.add(p.name().equals("churn") ? Format.count(p.connectsPerSecond()) : "-");
                boolean timed = p.latency().getTotalCount() > 0;
                row.add(timed ? Format.micros(p.latencyMicros(50)) : "-");
                row.add(timed ? Format.micros(p.latencyMicros(99)) : "-");
                row.add(timed ? Format.micros(p.latencyMicros(99.9)) : "-");
                row.add(timed ? Format.micros(p.maxLatencyMicros()) : "-");
                row.add(Long.toString(p.errors()));
                row.add(String.format(Locale.ROOT, "%.0f%% of %d%s", 100 * r.clientCores(), r.clientCpus(),
                        r.clientBound() ? " (bottleneck)" : ""));
                row.add(r.serverCores() < 0 ? (r.serverInProcess() ? "in-process" : "?")
                        : String.format(Locale.ROOT, "%.0f%%%s", 100 * r.serverCores(), r.serverBound() ? " (saturated)" : ""));
                row.add(r.serverCpuMicrosPerMessage() < 0 || p.messages() == 0 ? "-"
                        : String.format(Locale.ROOT, "%.1f", r.serverCpuMicrosPerMessage()));
                row.add(r.memory() == null || !p.name().equals("idle") ? "-"
                        : String.format(Locale.ROOT, "%.2f", r.memory().totalKbPerConnection()));
                row.add(ratio(r, p, base));
                rows.add(row);
            }
        }
        return rows;
    }

    private static String ratio(RunResult r, PartResult p, RunResult base) {
        if (base == null) {
            return "";
        }
        if (base == r) {
            return "baseline";
        }
        PartResult b = base.part(p.name());
        if (b == null) {
            return "";
        }
        List<String> out = new ArrayList<>();
        if (p.name().equals("stream")) {
            add(out, "MB/s", p.megabytesPerSecond(), b.megabytesPerSecond());
        } else if (p.name().equals("churn")) {
            add(out, "conn/s", p.connectsPerSecond(), b.connectsPerSecond());
        } else if (p.name().equals("idle") && r.memory() != null && base.memory() != null) {
            add(out, "KB/conn", r.memory().totalKbPerConnection(), base.memory().totalKbPerConnection());
        } else {
            add(out, "msg/s", p.messagesPerSecond(), b.messagesPerSecond());
        }
        add(out, "p99", p.latencyMicros(99), b.latencyMicros(99));
        if (!p.name().equals("idle")) {
            add(out, "srv CPU/msg", r.serverCpuMicrosPerMessage(), base.serverCpuMicrosPerMessage());
        }
        return String.join(" ", out);
    }

    private static void add(List<String> out, String what, double a, double b) {
        if (b > 0) {
            out.add(String.format(Locale.ROOT, "%s %.2fx", what, a / b));
        }
    }

    /** Returns the notes under the table: bottlenecks, how servers ran, failures, memory. */
    public static List<String> notes(Report report) {
        List<String> notes = new ArrayList<>();
        if (report.rounds() != null) {
            notes.add("each row is that target's median round of " + report.rounds().rounds().size()
                    + "; its ratio compares runs of different rounds: the paired ratios of each round follow the table");
        }
        for (RunResult r : report.runs()) {
            notes.add(r.target() + ": " + r.targetDescription() + "; client transport " + r.clientTransport());
            if (r.failure() != null) {
                notes.add(r.target() + ": FAILED: " + r.failure());
            }
            if (r.serverInProcess()) {
                notes.add(r.target() + ": the server ran inside the client's JVM; client CPU includes the server's");
            }
            if (r.clientBound()) {
                notes.add(r.target() + ": the CLIENT was the bottleneck (" + String.format(Locale.ROOT, "%.0f%%", 100 * r.clientCores())
                        + " of its " + r.clientCpus() + " CPU(s) busy): these figures are a lower bound of the server's capacity");
            } else if (r.serverBound()) {
                notes.add(r.target() + ": the server was saturated (its CPU busy) while the client had CPU to spare: the figures are the server's");
            } else if (r.serverCores() >= 0 && r.serverCpus() > 0 && isLoadTest(r)) {
                notes.add(String.format(Locale.ROOT, "%s: neither side kept its CPU busy (client %.0f%%, server %.0f%%): "
                        + "the run was limited by waiting (few connections, latency) or by other load on the machine, not by CPU",
                        r.target(), 100 * r.clientCores(), 100 * r.serverCores()));
            }
            if (r.memory() != null) {
                MemoryResult m = r.memory();
                String heap = m.heapBeforeKb() < 0 || m.heapAfterKb() < 0 ? "no JVM heap"
                        : String.format(Locale.ROOT, "live heap +%.2f KB/conn", m.heapKbPerConnection());
                notes.add(String.format(Locale.ROOT, "%s: %d idle connections: RSS +%.2f KB/conn, %s, total %.2f KB/conn (%s)",
                        r.target(), m.connections(), m.rssKbPerConnection(), heap, m.totalKbPerConnection(), m.note()));
            }
        }
        return notes;
    }

    /** Returns whether the run pushed load (every scenario but idle, which holds connections only). */
    private static boolean isLoadTest(RunResult r) {
        return !r.scenario().equals("idle");
    }

    /** Returns the table and notes as plain text with aligned columns. */
    public static String text(Report report) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADERS);
        rows.addAll(rows(report));
        int[] width = new int[HEADERS.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                sb.append(i < 2 ? pad(row.get(i), width[i]) : padLeft(row.get(i), width[i]));
                sb.append(i < row.size() - 1 ? "  " : "");
            }
            sb.append(System.lineSeparator());
        }
        for (String n : notes(report)) {
            sb.append("  * ").append(n).append(System.lineSeparator());
        }
        if (report.rounds() != null) {
            sb.append(System.lineSeparator()).append(report.rounds().text());
        }
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(w - s.length()) + s;
    }
}
