package dev.loomevent.loadtest.scenario;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's memory: resident set from {@code /proc/PID/status}, and for JVMs the live heap after a
 * full GC ({@code jcmd PID GC.run} then {@code GC.heap_info}; for this JVM, {@code System.gc()}).
 * <p>Any thread.
 */
final class ServerMemory {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private ServerMemory() {
    }

    /** Returns the resident set of {@code pid} in KB, or -1. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Returns the live heap of the JVM {@code pid} after a full GC, in KB; -1 when it is not a JVM or jcmd fails. */
    static long liveHeapKb(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
        }
        String jcmd = jcmdFor(pid);
        if (jcmd == null || run(jcmd, pid, "GC.run") == null) {
            return -1;
        }
        String info = run(jcmd, pid, "GC.heap_info");
        if (info == null) {
            return -1;
        }
        long used = 0;
        boolean any = false;
        for (String line : info.split("\n")) {
            // generation lines ("def new generation total 1234K, used 56K", "garbage-first heap total ..., used ...")
            if (line.contains("total") && !line.contains("Metaspace") && !line.contains("class space")) {
                Matcher m = USED.matcher(line);
                if (m.find()) {
                    used += Long.parseLong(m.group(1));
                    any = true;
                }
            }
        }
        return any ? used : -1;
    }

    private static String jcmdFor(long pid) {
        try {
            Path exe = Path.of("/proc", Long.toString(pid), "exe").toRealPath();
            Path jcmd = exe.resolveSibling("jcmd");
            if (Files.isExecutable(jcmd)) {
                return jcmd.toString();
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static String run(String jcmd, long pid, String command) {
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
