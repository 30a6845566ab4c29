package dev.loomevent.loadtest.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The outcome of one scenario against one target.
 * <p>Immutable.
 *
 * @param target            the target's name ({@code loomevent}, {@code netty-nio}, {@code host:port}, ...)
 * @param targetDescription how the server ran (process, CPU pinning, heap)
 * @param scenario          the scenario's name
 * @param options           the options that shaped the run, for the record
 * @param startedAt         when the run started
 * @param clientTransport   the client transport's name
 * @param clientCpus        CPUs the client process may use
 * @param serverCpus        CPUs the server may use, 0 when unknown
 * @param serverInProcess   whether the server ran inside the client's JVM (CPU and memory then mix)
 * @param serverPid         the server's process id, -1 when unknown
 * @param parts             the parts' results
 * @param cpu               CPU use per interval
 * @param memory            server memory per idle connection, or null when not measured
 * @param serverMetrics     the server's Micrometer meters at the end, empty when the server is not ours
 * @param failure           why the run failed (integrity, lost data, no connection), or null
 */
public record RunResult(String target, String targetDescription, String scenario, Map<String, Object> options,
                        Instant startedAt, String clientTransport, int clientCpus, int serverCpus,
                        boolean serverInProcess, long serverPid, List<PartResult> parts, List<CpuSample> cpu,
                        MemoryResult memory, List<MeterSnapshot> serverMetrics, String failure) {

    /** Returns the client's mean CPU use over the measured period, in cores. */
    public double clientCores() {
        double mean = measuredMean(CpuSample::clientCores);
        return Double.isNaN(mean) ? 0 : mean;
    }

    /** Returns the server's mean CPU use over the measured period, in cores; negative when unknown. */
    public double serverCores() {
        double mean = measuredMean(CpuSample::serverCores);
        return Double.isNaN(mean) ? -1 : mean;
    }

    /**
     * Returns the mean of {@code f} over the measured intervals, each weighted by its length, or NaN
     * when none is known (negative). The last interval is the drain, often a few milliseconds: in
     * an unweighted mean its noisy figure (a client "at 400%" over 3 ms) counted as much as a whole
     * second and could brand a client at 35% the bottleneck.
     */
    private double measuredMean(ToDoubleFunction<CpuSample> f) {
        double start = 0;
        double sum = 0;
        double time = 0;
        for (CpuSample c : cpu) {
            double length = c.end() - start;
            start = c.end();
            double v = f.applyAsDouble(c);
            if (!c.warmup() && length > 0 && v >= 0) {
                sum += v * length;
                time += length;
            }
        }
        return time > 0 ? sum / time : Double.NaN;
    }

    /**
     * Returns whether the client was the bottleneck: it kept at least 90% of its CPUs busy, so the
     * figures are a lower bound of what the server can do. Always true of an in-process server that
     * saturates the shared CPUs.
     */
    public boolean clientBound() {
        return clientCpus > 0 && clientCores() >= 0.9 * clientCpus;
    }

    /** Returns whether the server kept at least 90% of its CPUs busy (false when unknown). */
    public boolean serverBound() {
        return serverCpus > 0 && serverCores() >= 0.9 * serverCpus;
    }

    /**
     * Returns the server's CPU time per echoed message over the measured period, in microseconds;
     * negative when unknown. Unlike throughput, it barely depends on how much CPU the machine left
     * the server, so it compares servers fairly on a busy machine.
     */
    public double serverCpuMicrosPerMessage() {
        return cpuPerMessage(serverCores());
    }

    /** Returns the client's CPU time per echoed message over the measured period, in microseconds. */
    public double clientCpuMicrosPerMessage() {
        return cpuPerMessage(clientCores());
    }

    private double cpuPerMessage(double cores) {
        long messages = parts.stream().mapToLong(PartResult::messages).sum();
        double seconds = parts.isEmpty() ? 0 : parts.get(0).seconds();
        return cores < 0 || messages == 0 ? -1 : cores * seconds * 1e6 / messages;
    }

    /** Returns the part named {@code name}, or null. */
    public PartResult part(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }
}
