package dev.loomevent.loadtest.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The self-contained HTML report: summary table, latency percentile distribution (HdrHistogram, log
 * percentile axis), throughput and p99 over time, CPU of client and server, idle memory, and the
 * server's Micrometer meters. Inline SVG and CSS only: it opens offline. It is also well-formed XML.
 * <p>Static methods, any thread.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** Returns the report as an HTML document. */
    public static String render(Report report) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<title>loomevent load test</title><style>").append(CSS).append("</style></head><body>\n");
        sb.append("<h1>loomevent load test</h1>");
        sb.append("<p class=\"meta\">").append(Html.esc(report.command())).append(" &#8212; ").append(Instant.now())
                .append(" &#8212; ").append(Report.machineCpus()).append(" CPU(s), ")
                .append(Html.esc(System.getProperty("java.vm.name") + " " + Runtime.version())).append("</p>\n");
        if (report.failed()) {
            sb.append("<div class=\"failure\" id=\"failure\">");
            for (RunResult r : report.allRuns()) {
                if (r.failure() != null) {
                    sb.append("<p><b>").append(Html.esc(r.target())).append(" FAILED:</b> ").append(Html.esc(r.failure())).append("</p>");
                }
            }
            sb.append("</div>\n");
        }
        summary(sb, report);
        if (report.rounds() != null) {
            sb.append("<h2>Rounds</h2><pre id=\"rounds\">").append(Html.esc(report.rounds().text())).append("</pre>\n");
        }
        Set<String> partNames = new LinkedHashSet<>();
        report.runs().forEach(r -> r.parts().forEach(p -> partNames.add(p.name())));
        for (String part : partNames) {
            sb.append("<h2>").append(Html.esc(part)).append("</h2><div class=\"charts\">");
            sb.append(percentiles(report, part));
            sb.append(timeline(report, part, false));
            sb.append(timeline(report, part, true));
            sb.append("</div>\n");
        }
        sb.append("<h2>CPU</h2><div class=\"charts\">").append(cpu(report)).append("</div>\n");
        metrics(sb, report);
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static void summary(StringBuilder sb, Report report) {
        sb.append("<h2>Summary</h2><table id=\"summary\"><thead><tr>");
        for (String h : SummaryTable.HEADERS) {
            sb.append("<th>").append(Html.esc(h)).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (List<String> row : SummaryTable.rows(report)) {
            sb.append("<tr>");
            for (String c : row) {
                sb.append("<td>").append(Html.esc(c)).append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</tbody></table><ul class=\"notes\">");
        for (String n : SummaryTable.notes(report)) {
            sb.append("<li>").append(Html.esc(n)).append("</li>");
        }
        sb.append("</ul>\n");
    }

    private static String percentiles(Report report, String part) {
        List<Svg.Series> series = new ArrayList<>();
        int i = 0;
        for (RunResult r : report.runs()) {
            PartResult p = r.part(part);
            String color = Svg.COLORS.get(i++ % Svg.COLORS.size());
            if (p == null || p.latency().getTotalCount() == 0) {
                continue;
            }
            List<double[]> pts = new ArrayList<>();
            double lastX = 1;
            for (HistogramIterationValue v : p.latency().percentiles(5)) {
                double pct = v.getPercentileLevelIteratedTo();
                // the 100% point (the maximum) has no finite place on this axis: draw it at the last decade
                double x = pct >= 100 ? Math.max(1, Math.ceil(lastX)) : Svg.percentileX(pct);
                lastX = Math.max(lastX, x);
                pts.add(new double[] {x, v.getValueIteratedTo() / 1e6});
            }
            series.add(series(r.target(), color, pts));
        }
        return "<div class=\"chart percentiles\">" + Svg.chart(part + ": latency by percentile", "percentile (log scale: 1/(1-p))",
                "latency (ms, log scale)", series, true, true) + "</div>";
    }

    private static String timeline(Report report, String part, boolean latency) {
        List<Svg.Series> series = new ArrayList<>();
        int i = 0;
        boolean stream = part.equals("stream");
        boolean churn = part.equals("churn");
        for (RunResult r : report.runs()) {
            PartResult p = r.part(part);
            String color = Svg.COLORS.get(i++ % Svg.COLORS.size());
            if (p == null) {
                continue;
            }
            List<double[]> pts = new ArrayList<>();
            for (Sample s : p.timeline()) {
                double y = latency ? s.p99Nanos() / 1e6
                        : stream ? s.megabytesPerSecond() : churn ? s.connects() / Math.max(1e-9, s.seconds()) : s.messagesPerSecond();
                pts.add(new double[] {s.end(), y});
            }
            series.add(series(r.target(), color, pts));
        }
        String what = latency ? "p99 latency (ms)" : stream ? "MB/s echoed" : churn ? "connections/s" : "messages/s";
        return "<div class=\"chart " + (latency ? "latency-timeline" : "throughput") + "\">"
                + Svg.chart(part + ": " + what + " over time (warm-up included)", "seconds", what, series, false) + "</div>";
    }

    private static String cpu(Report report) {
        List<Svg.Series> series = new ArrayList<>();
        int i = 0;
        for (RunResult r : report.runs()) {
            String color = Svg.COLORS.get(i++ % Svg.COLORS.size());
            List<double[]> client = new ArrayList<>();
            List<double[]> server = new ArrayList<>();
            for (CpuSample c : r.cpu()) {
                client.add(new double[] {c.end(), c.clientCores()});
                if (c.serverCores() >= 0) {
                    server.add(new double[] {c.end(), c.serverCores()});
                }
            }
            series.add(series(r.target() + " client", color, client));
            if (!server.isEmpty()) {
                series.add(series(r.target() + " server", Svg.COLORS.get(i++ % Svg.COLORS.size()), server));
            }
        }
        return "<div class=\"chart cpu\">" + Svg.chart("CPU in cores (1.0 = one CPU busy)", "seconds", "cores", series, false) + "</div>";
    }

    private static void metrics(StringBuilder sb, Report report) {
        sb.append("<h2>Server metrics (Micrometer)</h2>");
        boolean any = false;
        for (RunResult r : report.runs()) {
            if (r.serverMetrics().isEmpty()) {
                continue;
            }
            any = true;
            sb.append("<details class=\"metrics\"><summary>").append(Html.esc(r.target())).append(": ")
                    .append(r.serverMetrics().size()).append(" meters at the end of the run</summary><table class=\"meters\">")
                    .append("<thead><tr><th>name</th><th>type</th><th>unit</th><th>tags</th><th>values</th></tr></thead><tbody>");
            for (MeterSnapshot m : r.serverMetrics()) {
                StringBuilder values = new StringBuilder();
                m.measurements().forEach((k, v) -> values.append(k.toLowerCase(Locale.ROOT)).append('=').append(num(v)).append(' '));
                sb.append("<tr><td>").append(Html.esc(m.name())).append("</td><td>").append(Html.esc(m.type()))
                        .append("</td><td>").append(Html.esc(m.baseUnit())).append("</td><td>").append(Html.esc(m.tags().toString()))
                        .append("</td><td>").append(Html.esc(values.toString().trim())).append("</td></tr>");
            }
            sb.append("</tbody></table></details>\n");
        }
        if (!any) {
            sb.append("<p>None: the server is not one the harness runs.</p>");
        }
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private static Svg.Series series(String label, String color, List<double[]> pts) {
        double[] xs = new double[pts.size()];
        double[] ys = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            xs[i] = pts.get(i)[0];
            ys[i] = pts.get(i)[1];
        }
        return new Svg.Series(label, color, xs, ys);
    }

    private static final String CSS = "body{font-family:system-ui,sans-serif;margin:24px;color:#222}"
            + "h1{margin-bottom:4px}.meta{color:#666;font-size:13px}"
            + "table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}"
            + "th{background:#f3f3f3}td:nth-child(1),td:nth-child(2){text-align:left}"
            + ".meters td{text-align:left;font-family:monospace;font-size:12px}"
            + ".failure{background:#fde2e2;border:2px solid #d62728;padding:4px 12px;margin:12px 0}"
            + ".notes{font-size:13px;color:#444}.charts{display:flex;flex-wrap:wrap;gap:12px}"
            + ".plot{fill:#fafafa;stroke:#999}.grid{stroke:#e3e3e3}.ct{font-size:14px;font-weight:bold}"
            + ".yl{font-size:11px;text-anchor:end}.xl{font-size:11px;text-anchor:middle}"
            + ".xt,.yt{font-size:12px;text-anchor:middle;fill:#444}.lg{font-size:12px}";
}
