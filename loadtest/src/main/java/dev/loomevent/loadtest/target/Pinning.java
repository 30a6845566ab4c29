package dev.loomevent.loadtest.target;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * CPU pinning with {@code taskset}, so that the server and the client do not compete for a CPU.
 * <p>Any thread.
 */
public final class Pinning {
    private Pinning() {
    }

    /** Returns whether {@code taskset} is on the PATH. */
    public static boolean tasksetAvailable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, "taskset").canExecute()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Pins every thread of this process (and the threads they start later) to {@code cpus}.
     *
     * @return whether it worked
     */
    public static boolean pinSelf(String cpus) {
        if (!tasksetAvailable()) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Returns the CPUs other than {@code serverCpus} of the first {@code n} ({@code 1-3} for server 0 of 4), or empty. */
    public static String others(String serverCpus, int n) {
        if (!serverCpus.trim().equals("0") || n < 2) {
            return "";
        }
        return n == 2 ? "1" : "1-" + (n - 1);
    }
}
