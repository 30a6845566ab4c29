package dev.loomevent.loadtest.scenario;

import dev.loomevent.loadtest.client.ClientTransport;
import dev.loomevent.loadtest.report.CpuSample;
import dev.loomevent.loadtest.report.MemoryResult;
import dev.loomevent.loadtest.report.MeterSnapshot;
import dev.loomevent.loadtest.report.PartResult;
import dev.loomevent.loadtest.report.RunResult;
import dev.loomevent.loadtest.report.Sample;
import dev.loomevent.loadtest.target.RunningTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one scenario against one target: starts the workloads, samples every part once a second
 * (progress, timeline, CPU), stops them at the end of the duration (or when their message counts are
 * done), waits for the echoes still owed, and builds the {@link RunResult}. Any failure (a wrong byte,
 * an echo lost, no connection at all) ends up in {@link RunResult#failure()}.
 * <p>Runs on the calling thread.
 */
public final class LoadRun {
    private static final long TICK = TimeUnit.SECONDS.toNanos(1);
    private static final long IDLE_CONNECT_TIMEOUT = TimeUnit.SECONDS.toNanos(120);
    /**
     * Idle: how long the connections stay quiet before the server's memory is measured, so that what
     * is measured is the server at rest (a loomevent writer thread ends after 1 s without work), as
     * the C yardstick measures it (2 s).
     */
    private static final long IDLE_SETTLE = TimeUnit.SECONDS.toNanos(2);

    private final ScenarioConfig config;
    private final RunningTarget target;
    private final ClientTransport transport;
    private final ProgressListener progress;
    private final RunControl control = new RunControl();
    private final Ctx ctx;
    private final List<CpuSample> cpu = new ArrayList<>();
    private List<Part> parts;
    private CpuProbe probe;
    private long t0;
    private long lastTick;
    private long warmEnd;
    private long end;

    private LoadRun(ScenarioConfig config, RunningTarget target, ClientTransport transport, ProgressListener progress) {
        this.config = config;
        this.target = target;
        this.transport = transport;
        this.progress = progress;
        this.ctx = new Ctx(control, config, transport, target.address());
    }

    /**
     * Runs {@code config} against {@code target} over {@code transport}, then closes the transport
     * (the target stays up: the caller owns it).
     */
    public static RunResult run(ScenarioConfig config, RunningTarget target, ClientTransport transport,
                                ProgressListener progress) {
        return new LoadRun(config, target, transport, progress).run();
    }

    private RunResult run() {
        Instant startedAt = Instant.now();
        List<Workload> workloads = Workload.of(ctx);
        parts = workloads.stream().flatMap(w -> w.parts().stream()).toList();
        Idle idle = config.scenario() == Scenario.IDLE ? (Idle) workloads.get(0) : null;
        long pid = target.pid();
        long[] before = idle != null && pid > 0 ? new long[] {ServerMemory.rssKb(pid), ServerMemory.liveHeapKb(pid)} : null;
        probe = new CpuProbe(pid, target.inProcess());
        t0 = System.nanoTime();
        lastTick = t0;
        warmEnd = t0 + config.warmup().toNanos();
        end = config.counted() && config.duration().isZero() ? Long.MAX_VALUE : warmEnd + config.duration().toNanos();
        workloads.forEach(Workload::start);
        MemoryResult memory = null;
        try {
            if (idle != null) {
                memory = establishIdle(idle, pid, before);
            }
            runToTheEnd();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            control.fail(e);
        }
        control.stop();
        workloads.forEach(Workload::stop);
        drain();
        sample(warmEnd);
        transport.close();
        List<MeterSnapshot> metrics = target.metrics();
        List<PartResult> results = parts.stream().map(Part::result).toList();
        return new RunResult(target.name(), target.description(), config.scenario().id(), config.describe(), startedAt,
                transport.name(), Runtime.getRuntime().availableProcessors(), target.cpus(), target.inProcess(), pid,
                results, List.copyOf(cpu), memory, metrics, failureText());
    }

    /**
     * Idle: waits until every connection did its exchange, measures the server's memory, and makes
     * the hold that follows the measured period (the set-up is the warm-up).
     */
    private MemoryResult establishIdle(Idle idle, long pid, long[] before) throws InterruptedException {
        long deadline = t0 + IDLE_CONNECT_TIMEOUT;
        while (idle.ready() + errors() < idle.size() && control.failure() == null && System.nanoTime() < deadline) {
            tick(Long.MAX_VALUE, deadline);
        }
        if (idle.ready() < idle.size() && control.failure() == null) {
            control.fail(new IllegalStateException("idle: only " + idle.ready() + " of " + idle.size()
                    + " connections were established and echoed"));
        }
        MemoryResult memory = null;
        if (before != null && control.failure() == null) {
            long settled = System.nanoTime() + IDLE_SETTLE;
            while (control.failure() == null && System.nanoTime() < settled) {
                tick(Long.MAX_VALUE, settled);
            }
            long rss = ServerMemory.rssKb(pid);
            long heap = ServerMemory.liveHeapKb(pid);
            memory = new MemoryResult(idle.size(), before[0], rss, before[1], heap, memoryNote());
        }
        sample(Long.MAX_VALUE);
        warmEnd = lastTick;
        end = lastTick + config.duration().toNanos();
        return memory;
    }

    /** Samples until the duration is over, the counted work is done, or the run failed. */
    private void runToTheEnd() throws InterruptedException {
        while (control.failure() == null && control.active() > 0) {
            long now = System.nanoTime();
            if (now >= end) {
                if (config.counted()) {
                    control.fail(new IllegalStateException("the " + config.messages()
                            + " messages per connection were not done within " + config.duration()));
                }
                return;
            }
            tick(warmEnd, end);
        }
    }

    /** Waits (bounded) for the echoes still owed; those that do not come are lost data. */
    private void drain() {
        try {
            if (!control.awaitIdle(config.drainTimeout().toMillis(), TimeUnit.MILLISECONDS) && control.failure() == null) {
                control.fail(new IllegalStateException(control.active() + " connection(s) still waited for echoes "
                        + config.drainTimeout().toMillis() + " ms after the end: data lost or the server is stuck"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns the connections that failed so far, warm-up included. */
    private long errors() {
        return parts.stream().mapToLong(Part::totalErrors).sum();
    }

    private String memoryNote() {
        return target.inProcess()
                ? "the server shares this JVM with the client: growth includes the client's connections"
                : "resident-set growth of PID " + target.pid() + " plus live-heap growth after a full GC (jcmd)";
    }

    /** Waits for the next sample boundary (a whole second, the end of warm-up, or {@code end}) and samples. */
    private void tick(long warmEnd, long end) throws InterruptedException {
        long now = System.nanoTime();
        long next = lastTick + TICK;
        if (warmEnd > now) {
            next = Math.min(next, warmEnd);
        }
        next = Math.min(next, end);
        control.await(next - now);
        if (System.nanoTime() >= next) {
            sample(warmEnd);
        }
    }

    /**
     * Closes the interval since the last sample. It belongs to the warm-up when it began before
     * {@code warmEnd}: a tick is scheduled exactly there, so only a late wake-up makes it straddle.
     */
    private void sample(long warmEnd) {
        long now = System.nanoTime();
        boolean warmup = lastTick < warmEnd;
        double endSec = (now - t0) / 1e9;
        double seconds = (now - lastTick) / 1e9;
        lastTick = now;
        List<Sample> samples = new ArrayList<>();
        for (Part p : parts) {
            samples.add(p.sample(endSec, seconds, warmup));
        }
        double[] c = probe.sample();
        CpuSample cs = new CpuSample(endSec, warmup, c[0], c[1]);
        cpu.add(cs);
        progress.interval(target.name(), parts.stream().map(p -> p.name).toList(), samples, cs);
    }

    private String failureText() {
        Throwable f = control.failure();
        if (f != null) {
            return f.getMessage() != null ? f.getMessage() : f.toString();
        }
        long opened = parts.stream().mapToLong(Part::totalConnects).sum();
        Throwable connect = ctx.firstConnectError();
        if (opened == 0) {
            return "no connection to " + target.address() + " succeeded" + (connect == null ? "" : ": " + connect);
        }
        return null;
    }

}
