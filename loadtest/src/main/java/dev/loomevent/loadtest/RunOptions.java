package dev.loomevent.loadtest;

import dev.loomevent.loadtest.scenario.Scenario;
import dev.loomevent.loadtest.scenario.ScenarioConfig;
import dev.loomevent.loadtest.target.Pinning;
import dev.loomevent.loadtest.target.TargetOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The options every load command shares.
 * <p>Main thread only.
 */
final class RunOptions {
    /** The CPUs this process could use when it started, before it pinned itself. */
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    @Option(names = {"-c", "--connections"}, paramLabel = "N",
            description = "Connections (churn: connections in flight; idle: connections held; mixed: its pingpong connections). Default: per scenario.")
    Integer connections;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES",
            description = "Message size, >= 16 (stream: chunk size). Default: 64, stream 16384.")
    Integer size;

    @Option(names = {"-d", "--duration"}, paramLabel = "TIME", converter = DurationConverter.class,
            description = "Measured time (e.g. 10s, 500ms, 1m); with --messages, the longest the run may take. Default: 10s.")
    Duration duration;

    @Option(names = {"-w", "--warmup"}, paramLabel = "TIME", converter = DurationConverter.class,
            description = "Warm-up before measuring, left out of the totals. Default: 2s; compare: 10s (each target is a fresh server, and a JVM confined to one CPU is still compiling after 2 s).")
    Duration warmup;

    @Option(names = {"-n", "--messages"}, paramLabel = "N",
            description = "Messages per connection (churn: connections per worker), then stop, instead of a duration.")
    Long messages;

    @Option(names = {"-r", "--rate"}, paramLabel = "MSGS_PER_S", description = "Open-loop rate, all connections together (rate, mixed). Default: 10000.")
    Double rate;

    @Option(names = "--window", paramLabel = "CHUNKS", description = "Stream: chunks in flight per connection. Default: 4.")
    Integer window;

    @Option(names = "--idle", paramLabel = "N", description = "Mixed: idle connections held beside the load. Default: 200.")
    Integer idle;

    @Option(names = "--client", paramLabel = "TRANSPORT", defaultValue = "nio",
            description = {"Client transport: nio (one selector thread, the cheapest per message), socket (blocking channels",
                "on virtual threads) or loomevent (loomevent's own bufferevents). Default: ${DEFAULT-VALUE}."})
    String client;

    @Option(names = "--in-process", description = "Run JVM servers inside this JVM instead of a pinned child JVM.")
    boolean inProcess;

    @Option(names = "--server-cpus", paramLabel = "CPUS",
            description = "CPUs a started server is pinned to with taskset ('' for none). Default: 0 when taskset exists and there are 2+ CPUs.")
    String serverCpus;

    @Option(names = "--client-cpus", paramLabel = "CPUS",
            description = "CPUs this client pins itself to ('' for none). Default: the CPUs the server does not use.")
    String clientCpus;

    @Option(names = "--server-heap", paramLabel = "SIZE", defaultValue = "512m",
            description = "Heap of a child JVM server (-Xms = -Xmx, pre-touched). Default: ${DEFAULT-VALUE}.")
    String serverHeap;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Event loops of a JVM server. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--server-pid", paramLabel = "PID", defaultValue = "-1",
            description = "PID of an external server (host:port target): its CPU and, for idle, its memory per connection.")
    long serverPid;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "loadtest-results",
            description = "Where the JSON and HTML reports go. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--drain-timeout", paramLabel = "TIME", converter = DurationConverter.class,
            description = "How long echoes owed at the end may take before they count as lost. Default: 10s.")
    Duration drainTimeout;

    @Option(names = "--progress", negatable = true,
            description = "Print progress once a second. Default: only when standard output is a terminal.")
    Boolean progress;

    /** Returns the configuration of {@code scenario} with these options over its defaults. */
    ScenarioConfig config(Scenario scenario) {
        ScenarioConfig c = ScenarioConfig.defaults(scenario);
        c = c.withTime(duration != null ? duration : (messages != null ? Duration.ofMinutes(5) : c.duration()),
                warmup != null ? warmup : (messages != null ? Duration.ZERO : c.warmup()));
        if (connections != null) {
            c = c.withConnections(connections);
        }
        if (size != null) {
            c = c.withSize(size);
        }
        if (messages != null) {
            c = c.withMessages(messages);
        }
        if (rate != null) {
            c = c.withRate(rate);
        }
        if (window != null) {
            c = c.withWindow(window);
        }
        if (idle != null) {
            c = c.withIdleConnections(idle);
        }
        if (drainTimeout != null) {
            c = c.withDrainTimeout(drainTimeout);
        }
        return c;
    }

    /**
     * Returns the CPUs a started server is pinned to. Decided once: after the client pinned itself,
     * it sees fewer CPUs.
     */
    String serverCpus() {
        if (serverCpus == null) {
            serverCpus = !inProcess && Pinning.tasksetAvailable() && CPUS >= 2 ? "0" : "";
        }
        return serverCpus.trim();
    }

    /** Returns the CPUs the client pins itself to when the server is a started child. */
    String clientCpus() {
        if (clientCpus == null) {
            clientCpus = Pinning.others(serverCpus(), CPUS);
            clientCpusDefaulted = true;
        }
        return clientCpus.trim();
    }

    /** Whether {@link #clientCpus} was derived rather than given. */
    boolean clientCpusDefaulted;

    TargetOptions targetOptions() {
        return new TargetOptions(inProcess, serverCpus(), serverHeap, threads, serverPid, out);
    }

    /** Parses 10s, 500ms, 2m, 1h, or a bare number of seconds. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                if (v.endsWith("s")) {
                    return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
                }
                if (v.endsWith("m")) {
                    return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
                }
                if (v.endsWith("h")) {
                    return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 3_600_000));
                }
                return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a duration: '" + value + "' (e.g. 10s, 500ms, 2m)");
            }
        }
    }
}
