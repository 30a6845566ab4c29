package dev.loomevent.loadtest.target;

import java.nio.file.Path;

/**
 * How the harness starts a server it owns, or what it knows of an external one.
 * <p>Immutable.
 *
 * @param inProcess  run JVM servers (loomevent, netty, java) inside the harness's JVM instead of a child
 * @param serverCpus CPUs a child server is pinned to with {@code taskset -c} (e.g. {@code 0}); empty: not pinned
 * @param serverHeap heap of a child JVM server ({@code -Xms} = {@code -Xmx}, pre-touched, so resident-set
 *                   growth is native memory only)
 * @param threads    event loops (bases) of a JVM server
 * @param serverPid  the PID of an external server (memory and CPU figures), -1 when unknown
 * @param logDir     where a child server's output goes
 */
public record TargetOptions(boolean inProcess, String serverCpus, String serverHeap, int threads, long serverPid,
                            Path logDir) {

    /** Returns in-process servers with one event loop: what tests use. */
    public static TargetOptions inProcessDefaults() {
        return new TargetOptions(true, "", "512m", 1, -1, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Returns the number of CPUs in {@code serverCpus} ({@code 0}, {@code 0,2}, {@code 0-3}); 0 when empty. */
    public int serverCpuCount() {
        if (serverCpus.isBlank()) {
            return 0;
        }
        int n = 0;
        for (String part : serverCpus.split(",")) {
            String[] r = part.trim().split("-");
            n += r.length == 2 ? Integer.parseInt(r[1].trim()) - Integer.parseInt(r[0].trim()) + 1 : 1;
        }
        return n;
    }
}
