package dev.loomevent.loadtest.scenario;

import dev.loomevent.loadtest.report.CpuSample;
import dev.loomevent.loadtest.report.Sample;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Receives a line of progress once per interval.
 * <p>Called on the runner thread.
 */
@FunctionalInterface
public interface ProgressListener {
    /** Prints nothing. */
    ProgressListener NONE = (target, parts, samples, cpu) -> { };

    /**
     * Reports one interval.
     *
     * @param target  the target's name
     * @param parts   the parts' names
     * @param samples the interval of each part, in the order of {@code parts}
     * @param cpu     CPU use over the interval
     */
    void interval(String target, List<String> parts, List<Sample> samples, CpuSample cpu);

    /** Returns a listener printing one line per interval to {@code out}: throughput, p50/p99, open connections, errors, CPU. */
    static ProgressListener printingTo(PrintWriter out) {
        return (target, parts, samples, cpu) -> {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[%5.1fs%s] %s", cpu.end(),
                    cpu.warmup() ? " warm-up" : "", target));
            int open = 0;
            long errors = 0;
            for (int i = 0; i < parts.size(); i++) {
                Sample s = samples.get(i);
                open += s.open();
                errors += s.errors();
                sb.append(String.format(Locale.ROOT, " | %s %s msg/s", parts.get(i), Format.count(s.messagesPerSecond())));
                if (parts.get(i).equals("stream")) {
                    sb.append(String.format(Locale.ROOT, " %.1f MB/s", s.megabytesPerSecond()));
                }
                if (parts.get(i).equals("churn")) {
                    sb.append(String.format(Locale.ROOT, " %s conn/s", Format.count(s.connects() / Math.max(1e-9, s.seconds()))));
                }
                sb.append(" p50 ").append(Format.micros(s.p50Nanos() / 1e3)).append(" p99 ").append(Format.micros(s.p99Nanos() / 1e3));
            }
            sb.append(String.format(Locale.ROOT, " | open %d errors %d | client CPU %.0f%%", open, errors, cpu.clientCores() * 100));
            if (cpu.serverCores() >= 0) {
                sb.append(String.format(Locale.ROOT, " server CPU %.0f%%", cpu.serverCores() * 100));
            }
            out.println(sb);
            out.flush();
        };
    }
}
