package dev.loomevent.loadtest.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * A comparison repeated in rounds ({@code compare --rounds N}): the same servers, kept running, are
 * measured in turn once per round. A shared machine's speed drifts from second to second (other
 * tenants, CPU steal), so two runs a minute apart can differ by half; within a round the targets run
 * back to back, so a ratio taken inside one round mostly cancels the drift. The result per target
 * is the median over the rounds of its ratio to the baseline of the same round, with the smallest
 * and largest ratio beside it to show the spread.
 * <p>Immutable; any thread.
 *
 * @param baseline the target the ratios compare to
 * @param rounds   per round, the runs of that round in the order they ran
 */
public record Rounds(String baseline, List<List<RunResult>> rounds) {

    /** Copies the lists; the first round must hold a run. */
    public Rounds {
        rounds = rounds.stream().map(List::copyOf).toList();
        if (rounds.isEmpty() || rounds.get(0).isEmpty()) {
            throw new IllegalArgumentException("rounds must not be empty, and the first round must hold a run");
        }
    }

    /** Returns the targets, in the order of their first appearance. */
    public List<String> targets() {
        Set<String> names = new LinkedHashSet<>();
        rounds.forEach(round -> round.forEach(r -> names.add(r.target())));
        return List.copyOf(names);
    }

    /** Returns the name of the headline figure: MB/s for stream, conn/s for churn, msg/s otherwise. */
    public String unit() {
        return unitOf(rounds.get(0).get(0).scenario());
    }

    /** Returns the headline figure of {@code r}: its first part's MB/s, conn/s or msg/s by scenario. */
    public static double headline(RunResult r) {
        if (r.parts().isEmpty()) {
            return 0;
        }
        PartResult p = r.parts().get(0);
        return switch (unitOf(r.scenario())) {
            case "MB/s" -> p.megabytesPerSecond();
            case "conn/s" -> p.connectsPerSecond();
            default -> p.messagesPerSecond();
        };
    }

    private static String unitOf(String scenario) {
        return switch (scenario) {
            case "stream" -> "MB/s";
            case "churn" -> "conn/s";
            default -> "msg/s";
        };
    }

    /** Returns {@code target}'s headline per round in which it ran. */
    public double[] values(String target) {
        return values(target, Rounds::headline);
    }

    private double[] values(String target, ToDoubleFunction<RunResult> f) {
        List<Double> out = new ArrayList<>();
        for (List<RunResult> round : rounds) {
            RunResult r = find(round, target);
            if (r != null) {
                out.add(f.applyAsDouble(r));
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Returns {@code target}'s headline divided by the baseline's, per round in which both ran with figures. */
    public double[] ratios(String target) {
        return ratios(target, Rounds::headline);
    }

    /** Returns {@code target}'s p99 latency divided by the baseline's, per round. */
    public double[] p99Ratios(String target) {
        return ratios(target, r -> r.parts().isEmpty() ? 0 : r.parts().get(0).latencyMicros(99));
    }

    /** Returns {@code target}'s server CPU per message divided by the baseline's, per round in which both are known. */
    public double[] cpuRatios(String target) {
        return ratios(target, RunResult::serverCpuMicrosPerMessage);
    }

    private double[] ratios(String target, ToDoubleFunction<RunResult> f) {
        List<Double> out = new ArrayList<>();
        for (List<RunResult> round : rounds) {
            RunResult r = find(round, target);
            RunResult b = find(round, baseline);
            if (r == null || b == null) {
                continue;
            }
            double a = f.applyAsDouble(r);
            double c = f.applyAsDouble(b);
            if (a > 0 && c > 0) {
                out.add(a / c);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Returns the run of {@code target} to show in the usual report: its first failed run if one
     * failed (the failure must show), else the run whose headline is its median.
     */
    public RunResult representative(String target) {
        for (List<RunResult> round : rounds) {
            for (RunResult r : round) {
                if (r.target().equals(target) && r.failure() != null) {
                    return r;
                }
            }
        }
        double m = median(values(target));
        RunResult best = null;
        for (List<RunResult> round : rounds) {
            RunResult r = find(round, target);
            if (r != null && (best == null || Math.abs(headline(r) - m) < Math.abs(headline(best) - m))) {
                best = r;
            }
        }
        return best;
    }

    /** Returns the median of {@code xs} (the mean of the middle two for an even count), or NaN when empty. */
    public static double median(double[] xs) {
        if (xs.length == 0) {
            return Double.NaN;
        }
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Returns {@code target}'s run in {@code round} if it did not fail: a failed run's figures are not figures. */
    private static RunResult find(List<RunResult> round, String target) {
        for (RunResult r : round) {
            if (r.target().equals(target) && r.failure() == null) {
                return r;
            }
        }
        return null;
    }

    /** Returns the rounds as a text table for the terminal. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d rounds (the servers kept running, measured in turn each round); "
                + "ratios are to %s in the same round: median (min-max)%n", rounds.size(), baseline));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("target", unit() + " median (min-max)", unit() + " ratio", "p99 ratio", "srv CPU/msg ratio"));
        for (String t : targets()) {
            double[] v = values(t);
            String ratio = t.equals(baseline) ? "baseline" : spread(ratios(t), "x");
            String p99 = t.equals(baseline) ? "" : spread(p99Ratios(t), "x");
            String cpu = t.equals(baseline) ? "" : spread(cpuRatios(t), "x");
            rows.add(List.of(t, v.length == 0 ? "-" : String.format(Locale.ROOT, "%,.0f (%,.0f-%,.0f)",
                    median(v), min(v), max(v)), ratio, p99, cpu));
        }
        int[] w = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(w[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                line.append(String.format("%-" + (w[i] + 2) + "s", row.get(i)));
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String spread(double[] xs, String suffix) {
        if (xs.length == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f%s (%.2f-%.2f)", median(xs), suffix, min(xs), max(xs));
    }

    private static double min(double[] xs) {
        return Arrays.stream(xs).min().orElse(Double.NaN);
    }

    private static double max(double[] xs) {
        return Arrays.stream(xs).max().orElse(Double.NaN);
    }

    /** Returns the rounds' figures as a JSON-ready map (see {@link Report#toJson()}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", rounds.size());
        m.put("baseline", baseline);
        m.put("unit", unit());
        List<Object> order = new ArrayList<>();
        for (List<RunResult> round : rounds) {
            order.add(round.stream().map(RunResult::target).toList());
        }
        m.put("order", order);
        Map<String, Object> per = new LinkedHashMap<>();
        for (String t : targets()) {
            Map<String, Object> x = new LinkedHashMap<>();
            double[] v = values(t);
            x.put("values", list(v));
            x.put("median", finite(median(v)));
            if (!t.equals(baseline)) {
                double[] r = ratios(t);
                x.put("ratios", list(r));
                x.put("medianRatio", finite(median(r)));
                x.put("medianP99Ratio", finite(median(p99Ratios(t))));
                x.put("medianServerCpuPerMessageRatio", finite(median(cpuRatios(t))));
            }
            per.put(t, x);
        }
        m.put("targets", per);
        return m;
    }

    private static List<Object> list(double[] xs) {
        List<Object> out = new ArrayList<>();
        for (double x : xs) {
            out.add(x);
        }
        return out;
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
