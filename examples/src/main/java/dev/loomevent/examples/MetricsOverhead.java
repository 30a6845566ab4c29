package dev.loomevent.examples;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import dev.loomevent.api.Loomevent;
import dev.loomevent.metrics.LoomeventMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures what binding the metrics costs an echo server: one loomevent echo server, one in-process
 * ping-pong load (virtual-thread clients, each waiting for its echo before sending again), and
 * phases that alternate between no binder ({@code off}) and {@link LoomeventMetrics} bound to a
 * {@link PrometheusMeterRegistry}, virtual-thread metrics included, scraped every second
 * ({@code on}). Alternating in one run cancels most of the drift of a shared machine. Each phase
 * first runs {@value #SETTLE_SECONDS} s unmeasured, so that the one-off cost of binding (starting
 * the JFR recording stream) is left out: applications bind once, at start.
 *
 * <pre>
 * ./loomevent java examples dev.loomevent.examples.MetricsOverhead [conns [size [seconds [pairs [vt]]]]]
 * </pre>
 * defaults: 100 connections, 64-byte messages, 5 s phases, 6 off/on pairs, {@code vt} = {@code true}:
 * Micrometer's JFR-based virtual-thread metrics bound too ({@code false}: loomevent's meters only).
 * <p>Main thread only.
 */
public final class MetricsOverhead {
    /** Seconds each phase runs unmeasured after switching mode. */
    private static final int SETTLE_SECONDS = 2;
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private MetricsOverhead() {
    }

    /**
     * Runs the measurement and prints one line per phase and a summary.
     *
     * @param args optional connections, message size, seconds per phase, off/on pairs
     */
    public static void main(String[] args) throws Exception {
        int conns = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int pairs = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        boolean virtualThreads = args.length <= 4 || Boolean.parseBoolean(args[4]);

        EventBase base = EventBase.create(EventBaseConfig.DEFAULT.withName("overhead"));
        base.start();
        Listener listener = Listener.bind(base, (l, ch, peer, arg) -> echo(base, ch), null,
                EnumSet.of(ListenerOption.CLOSE_ON_FREE, ListenerOption.REUSEABLE), -1,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        idleCost(seconds, virtualThreads);
        LongAdder echoes = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < conns; i++) {
            clients.submit(() -> pingPong((InetSocketAddress) listener.localAddress(), size, echoes, running));
        }
        phase(echoes, 2); // warm-up, not counted
        List<Phase> off = new ArrayList<>();
        List<Phase> on = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            // Alternate the order so that neither mode always follows the other.
            boolean onFirst = p % 2 == 1;
            for (int k = 0; k < 2; k++) {
                boolean bound = (k == 0) == onFirst;
                Phase m = bound ? measureBound(echoes, seconds, virtualThreads) : measureUnbound(echoes, seconds);
                (bound ? on : off).add(m);
                System.out.printf(Locale.ROOT, "pair %d %-3s %,12.0f msg/s %8.2f us CPU/msg%n", p + 1,
                        bound ? "on" : "off", m.rate(), m.cpuMicrosPerEcho());
            }
        }
        running.set(false);
        clients.shutdownNow();
        listener.free();
        base.free();
        summarize(conns, size, seconds, virtualThreads, off, on);
    }

    private static Phase measureBound(LongAdder echoes, int seconds, boolean virtualThreads)
            throws InterruptedException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LoomeventMetrics metrics = new LoomeventMetrics(Loomevent.statistics(), Tags.of("app", "overhead"),
                virtualThreads);
        metrics.bindTo(registry);
        // A platform thread, so that its CPU time can be read.
        ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("scraper").daemon().factory());
        LongAdder scrapedChars = new LongAdder();
        LongAdder scrapeCpuNanos = new LongAdder();
        scraper.scheduleAtFixedRate(() -> {
            long c0 = THREADS.getCurrentThreadCpuTime();
            scrapedChars.add(registry.scrape().length());
            scrapeCpuNanos.add(THREADS.getCurrentThreadCpuTime() - c0);
        }, 0, 1, TimeUnit.SECONDS);
        try {
            // Binding starts a JFR recording stream, a one-off cost an application pays once at start.
            phase(echoes, SETTLE_SECONDS);
            long scrape0 = scrapeCpuNanos.sum();
            Map<Long, Long> jfr0 = jfrThreadCpu();
            long process0 = OS.getProcessCpuTime();
            Phase m = phase(echoes, seconds);
            long process = OS.getProcessCpuTime() - process0;
            long jfr = 0;
            for (Map.Entry<Long, Long> e : jfrThreadCpu().entrySet()) {
                jfr += e.getValue() - jfr0.getOrDefault(e.getKey(), 0L);
            }
            long scrape = scrapeCpuNanos.sum() - scrape0;
            if (echoes.sum() > 0) {
                System.out.printf(Locale.ROOT,
                        "         scrapes %.2f ms CPU, JFR threads %.2f ms CPU: %.3f%% of the process' CPU%n",
                        scrape / 1e6, jfr / 1e6, 100.0 * (scrape + jfr) / Math.max(1, process));
            }
            return m;
        } finally {
            scraper.shutdownNow();
            scraper.awaitTermination(5, TimeUnit.SECONDS);
            metrics.close();
            registry.close();
            if (scrapedChars.sum() == 0) {
                throw new IllegalStateException("no scrape happened during the bound phase");
            }
        }
    }

    /**
     * Prints the process' CPU time per second with no traffic, unbound and bound: the constant cost
     * of binding (JFR's recording stream flushes and parses every second; scrapes), which the
     * thread-by-thread figures miss in part because JFR's recorder thread is hidden from
     * {@link ThreadMXBean}.
     */
    private static void idleCost(int seconds, boolean virtualThreads) throws InterruptedException {
        LongAdder none = new LongAdder();
        // JFR's first start in a process takes seconds of wall time and about one of CPU: not measured.
        measureBound(none, 1, virtualThreads);
        double off = measureUnbound(none, seconds).cpuMicrosPerEcho();
        double on = measureBound(none, seconds, virtualThreads).cpuMicrosPerEcho();
        // With no echoes, cpuMicrosPerEcho is the CPU time of the whole phase, in microseconds.
        System.out.printf(Locale.ROOT,
                "idle CPU: off %.1f ms/s, on %.1f ms/s (binding costs %.1f ms of CPU per second)%n",
                off / 1e3 / seconds, on / 1e3 / seconds, (on - off) / 1e3 / seconds);
    }

    private static Phase measureUnbound(LongAdder echoes, int seconds) throws InterruptedException {
        // The same settling time as the bound phase, so both modes follow the same rhythm.
        phase(echoes, SETTLE_SECONDS);
        return phase(echoes, seconds);
    }

    /** CPU time so far of each live thread whose name says it is JFR's, by thread id. */
    private static Map<Long, Long> jfrThreadCpu() {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("JFR")) {
                long c = THREADS.getThreadCpuTime(t.getThreadId());
                if (c >= 0) {
                    cpu.put(t.getThreadId(), c);
                }
            }
        }
        return cpu;
    }

    /** What one phase measured: echoes per second, and the process' CPU time per echo. */
    private record Phase(double rate, double cpuMicrosPerEcho) {
    }

    /**
     * Counts echoes over {@code seconds}. The CPU time per echo is the steadier figure on a shared
     * machine: other processes slow the echo rate down but do not add to this process' CPU time.
     */
    private static Phase phase(LongAdder echoes, int seconds) throws InterruptedException {
        long n0 = echoes.sum();
        long c0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        long n1 = echoes.sum();
        long c1 = OS.getProcessCpuTime();
        long t1 = System.nanoTime();
        return new Phase((n1 - n0) * 1e9 / (t1 - t0), (c1 - c0) / 1e3 / Math.max(1, n1 - n0));
    }

    private static void summarize(int conns, int size, int seconds, boolean virtualThreads, List<Phase> off,
                                  List<Phase> on) {
        System.out.printf(Locale.ROOT, "summary conns=%d size=%d phase=%ds pairs=%d vt=%b%n",
                conns, size, seconds, on.size(), virtualThreads);
        report("throughput (msg/s)", off.stream().map(Phase::rate).toList(), on.stream().map(Phase::rate).toList());
        report("CPU per message (us)", off.stream().map(Phase::cpuMicrosPerEcho).toList(),
                on.stream().map(Phase::cpuMicrosPerEcho).toList());
    }

    /** Prints means, on/off, and the paired differences: each pair's on against its own off. */
    private static void report(String what, List<Double> off, List<Double> on) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < on.size(); i++) {
            ratios.add(on.get(i) / off.get(i) - 1);
        }
        double mr = mean(ratios);
        double sd = Math.sqrt(ratios.stream().mapToDouble(r -> (r - mr) * (r - mr)).sum()
                / Math.max(1, ratios.size() - 1));
        List<Double> sorted = ratios.stream().sorted().toList();
        double median = sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
        System.out.printf(Locale.ROOT, "  %-22s off %,10.2f  on %,10.2f  on/off %+6.2f%%  paired: mean %+6.2f%%"
                        + " median %+6.2f%% sd %5.2f%% (n=%d)%n",
                what, mean(off), mean(on), (mean(on) / mean(off) - 1) * 100, mr * 100, median * 100, sd * 100,
                ratios.size());
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static void echo(EventBase base, SocketChannel channel) {
        Bufferevent bev = Bufferevent.socket(base, channel, EnumSet.of(BevOption.CLOSE_ON_FREE));
        bev.setCallbacks((b, arg) -> b.output().addBuffer(b.input()), null, (b, events, arg) -> {
            if ((events & (BevEvent.EOF | BevEvent.ERROR)) != 0) {
                b.free();
            }
        });
        bev.enable(EnumSet.allOf(Direction.class));
    }

    /** One client: send {@code size} bytes, wait for all of them back, count, repeat. */
    private static Void pingPong(InetSocketAddress server, int size, LongAdder echoes, AtomicBoolean running)
            throws IOException {
        try (SocketChannel ch = SocketChannel.open(server)) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ByteBuffer out = ByteBuffer.allocate(size);
            ByteBuffer in = ByteBuffer.allocate(size);
            while (running.get()) {
                out.clear();
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                in.clear();
                while (in.hasRemaining()) {
                    if (ch.read(in) < 0) {
                        return null;
                    }
                }
                echoes.increment();
            }
        } catch (IOException e) {
            if (running.get()) {
                throw e;
            }
        }
        return null;
    }
}
