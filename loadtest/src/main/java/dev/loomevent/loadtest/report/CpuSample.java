package dev.loomevent.loadtest.report;

/**
 * CPU use of the client and the server over one interval, in cores (1.0 = one CPU busy all the time).
 * <p>Immutable.
 *
 * @param end         end of the interval, seconds since the run started
 * @param warmup      whether the interval belongs to the warm-up
 * @param clientCores CPU the client process used
 * @param serverCores CPU the server process used; negative when unknown (external server, no PID)
 */
public record CpuSample(double end, boolean warmup, double clientCores, double serverCores) {
}
