package dev.loomevent.loadtest.report;

import java.util.List;
import java.util.Locale;

/**
 * Line charts as inline SVG, so the HTML report needs no script and no network.
 * <p>Immutable; static methods, any thread.
 */
final class Svg {
    private static final int W = 760;
    private static final int H = 320;
    private static final int LEFT = 70;
    private static final int RIGHT = 150;
    private static final int TOP = 30;
    private static final int BOTTOM = 45;
    static final List<String> COLORS = List.of("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#17becf");

    /** One line of a chart. */
    record Series(String label, String color, double[] xs, double[] ys) {
    }

    private Svg() {
    }

    /** The x axis of HdrHistogram's percentile plots: log10(1 / (1 - p)), labelled 0%, 90%, 99%, ... */
    static double percentileX(double percentile) {
        double p = Math.min(percentile, 99.99999) / 100;
        return Math.log10(1 / (1 - p));
    }

    /**
     * Returns a chart of {@code series}.
     *
     * @param percentileAxis label the x axis as percentiles (values from {@link #percentileX})
     */
    static String chart(String title, String xLabel, String yLabel, List<Series> series, boolean percentileAxis) {
        return chart(title, xLabel, yLabel, series, percentileAxis, false);
    }

    /**
     * Returns a chart of {@code series}.
     *
     * @param percentileAxis label the x axis as percentiles (values from {@link #percentileX})
     * @param logY           a logarithmic y axis (decades), for latencies that span microseconds to seconds
     */
    static String chart(String title, String xLabel, String yLabel, List<Series> series, boolean percentileAxis,
                        boolean logY) {
        double xMax = 0;
        double yMax = 0;
        double yMinPositive = Double.MAX_VALUE;
        for (Series s : series) {
            for (double x : s.xs) {
                xMax = Math.max(xMax, x);
            }
            for (double y : s.ys) {
                yMax = Math.max(yMax, y);
                if (y > 0) {
                    yMinPositive = Math.min(yMinPositive, y);
                }
            }
        }
        xMax = percentileAxis ? Math.max(2, Math.ceil(xMax)) : (xMax <= 0 ? 1 : xMax);
        double yMin = 0;
        if (logY) {
            yMin = yMinPositive == Double.MAX_VALUE ? -3 : Math.floor(Math.log10(yMinPositive));
            yMax = Math.max(yMin + 1, Math.ceil(Math.log10(Math.max(yMax, 1e-9))));
        } else {
            yMax = niceCeiling(yMax <= 0 ? 1 : yMax * 1.05);
        }
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\">", W, H, W, H));
        sb.append("<title>").append(Html.esc(title)).append("</title>");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" class=\"ct\">%s</text>", LEFT, Html.esc(title)));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"plot\"/>", LEFT, TOP, pw, ph));
        int yTicks = logY ? (int) (yMax - yMin) : 5;
        for (int i = 0; i <= yTicks; i++) {
            double v = logY ? Math.pow(10, yMin + i) : yMax * i / 5;
            double y = TOP + ph - ph * i / (double) yTicks;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", LEFT, LEFT + pw, y, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"yl\">%s</text>", LEFT - 6, y + 4, tick(v)));
        }
        int xTicks = percentileAxis ? (int) xMax : 5;
        for (int i = 0; i <= xTicks; i++) {
            double v = xMax * i / xTicks;
            double x = LEFT + pw * (double) i / xTicks;
            String label = percentileAxis ? percentileLabel(i) : tick(v);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" class=\"grid\"/>", x, x, TOP, TOP + ph));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"xl\">%s</text>", x, TOP + ph + 16, label));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"xt\">%s</text>", LEFT + pw / 2, H - 8, Html.esc(xLabel)));
        sb.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" class=\"yt\" transform=\"rotate(-90 14 %d)\">%s</text>",
                TOP + ph / 2, TOP + ph / 2, Html.esc(yLabel)));
        int legendY = TOP + 10;
        for (Series s : series) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < s.xs.length; i++) {
                double x = LEFT + pw * Math.min(1, s.xs[i] / xMax);
                double frac = logY ? (Math.log10(Math.max(s.ys[i], Math.pow(10, yMin))) - yMin) / (yMax - yMin) : s.ys[i] / yMax;
                double y = TOP + ph - ph * Math.min(1, frac);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            sb.append(String.format(Locale.ROOT, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\">"
                    + "<title>%s</title></polyline>", s.color, pts.toString().trim(), Html.esc(s.label)));
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"4\" fill=\"%s\"/>", LEFT + pw + 10, legendY - 4, s.color));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"lg\">%s</text>", LEFT + pw + 26, legendY, Html.esc(s.label)));
            legendY += 16;
        }
        return sb.append("</svg>").toString();
    }

    private static String percentileLabel(int decade) {
        return switch (decade) {
            case 0 -> "0%";
            case 1 -> "90%";
            case 2 -> "99%";
            default -> "99." + "9".repeat(decade - 2) + "%";
        };
    }

    private static double niceCeiling(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * mag >= v) {
                return m * mag;
            }
        }
        return 10 * mag;
    }

    private static String tick(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.3gM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.3gk", v / 1e3);
        }
        if (v == 0) {
            return "0";
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
