package dev.loomevent.loadtest.scenario;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the CPU time of the client (this JVM) and of the server process (from {@code /proc}).
 * <p>Runner thread only.
 */
final class CpuProbe {
    /** Linux reports process times in clock ticks of 1/100 s on every common configuration. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final com.sun.management.OperatingSystemMXBean os;
    private final long serverPid;
    private long lastWall;
    private long lastClient;
    private long lastServer;

    CpuProbe(long serverPid, boolean serverInProcess) {
        this.os = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
        this.serverPid = serverInProcess ? -1 : serverPid;
        this.lastWall = System.nanoTime();
        this.lastClient = os.getProcessCpuTime();
        this.lastServer = serverNanos();
    }

    /** Returns {client cores, server cores} since the previous call; server -1 when unknown. */
    double[] sample() {
        long wall = System.nanoTime();
        long client = os.getProcessCpuTime();
        long server = serverNanos();
        double dt = Math.max(1, wall - lastWall);
        double[] r = {(client - lastClient) / dt, server < 0 || lastServer < 0 ? -1 : (server - lastServer) / dt};
        lastWall = wall;
        lastClient = client;
        lastServer = server;
        return r;
    }

    private long serverNanos() {
        if (serverPid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(serverPid), "stat"));
            // fields after the parenthesised command name: state is field 3, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
