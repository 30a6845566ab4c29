package dev.loomevent.loadtest.scenario;

import dev.loomevent.loadtest.report.PartResult;
import dev.loomevent.loadtest.report.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The live counters of one part of a run. Sessions record into it from their threads; the runner
 * samples it once per interval.
 * <p>Recording: any thread, lock-free. Sampling and {@link #result}: the runner thread only.
 */
final class Part {
    final String name;
    private final Recorder recorder = new Recorder(3);
    private final LongAdder messages = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicInteger open = new AtomicInteger();

    // runner thread only
    private final Histogram measured = new Histogram(3);
    private final List<Sample> timeline = new ArrayList<>();
    private Histogram interval;
    private long lastMessages;
    private long lastBytes;
    private long lastConnects;
    private long lastErrors;
    private long measuredMessages;
    private long measuredBytes;
    private long measuredConnects;
    private long measuredErrors;
    private double measuredSeconds;

    Part(String name) {
        this.name = name;
    }

    void echoed(long latencyNanos, int size) {
        recorder.recordValue(Math.max(0, latencyNanos));
        messages.increment();
        bytes.add(size);
    }

    void opened() {
        connects.increment();
        open.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }

    void error() {
        errors.increment();
    }

    int open() {
        return open.get();
    }

    long totalErrors() {
        return errors.sum();
    }

    long totalConnects() {
        return connects.sum();
    }

    /** Closes the interval ending {@code end} seconds after the start, lasting {@code seconds}. */
    Sample sample(double end, double seconds, boolean warmup) {
        interval = recorder.getIntervalHistogram(interval);
        long m = messages.sum();
        long b = bytes.sum();
        long c = connects.sum();
        long e = errors.sum();
        boolean any = interval.getTotalCount() > 0;
        Sample s = new Sample(end, seconds, warmup, m - lastMessages, b - lastBytes, c - lastConnects, e - lastErrors,
                open.get(), any ? interval.getValueAtPercentile(50) : 0, any ? interval.getValueAtPercentile(99) : 0,
                any ? interval.getMaxValue() : 0);
        if (!warmup) {
            measured.add(interval);
            measuredMessages += s.messages();
            measuredBytes += s.bytes();
            measuredConnects += s.connects();
            measuredErrors += s.errors();
            measuredSeconds += seconds;
        }
        lastMessages = m;
        lastBytes = b;
        lastConnects = c;
        lastErrors = e;
        timeline.add(s);
        return s;
    }

    /** Returns the totals of the measured intervals (the last one holds the drain of echoes owed at the end). */
    PartResult result() {
        return new PartResult(name, measuredMessages, measuredBytes, measuredConnects, measuredErrors,
                measuredSeconds, measured.copy(), List.copyOf(timeline));
    }
}
