package dev.loomevent.loadtest.scenario;

import java.util.Locale;

/**
 * Number formats of the progress lines and summaries.
 * <p>Immutable.
 */
public final class Format {
    private Format() {
    }

    /** Returns {@code v} as 950, 12.3k or 1.23M. */
    public static String count(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** Returns a latency given in microseconds as 45µs, 1.23ms or 2.1s. */
    public static String micros(double us) {
        if (us >= 1e6) {
            return String.format(Locale.ROOT, "%.2fs", us / 1e6);
        }
        if (us >= 1e3) {
            return String.format(Locale.ROOT, "%.2fms", us / 1e3);
        }
        return String.format(Locale.ROOT, "%.0fµs", us);
    }
}
