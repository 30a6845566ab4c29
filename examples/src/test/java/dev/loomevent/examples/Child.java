package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * An example running in a child JVM (for the ones that handle signals), its output captured line by
 * line. Always {@link #close()}d: a child that is still running is killed.
 * <p>Any thread.
 */
final class Child implements AutoCloseable {
    private final Process process;
    private final Lines lines = new Lines();
    private final Thread reader;

    private Child(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(() -> Peers.copy(process.getInputStream(), lines));
    }

    /**
     * Starts {@code mainClass} with {@code args} in a JVM of the JDK running the tests. When
     * {@code defaultSignal} is given, the child starts with that signal's default disposition even
     * if this process ignores it (a JVM does not handle a signal it inherited as ignored).
     */
    static Child start(String defaultSignal, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (defaultSignal != null && ignored(defaultSignal)) {
            Assumptions.assumeTrue(Peers.onPath("env"), "SIG" + defaultSignal + " is ignored here and there is no env to reset it");
            command.add("env");
            command.add("--default-signal=" + defaultSignal);
        }
        command.add(Peers.jdkTool("java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(Peers.testClassPath());
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return start(command);
    }

    /** Starts {@code command}, its standard error merged into its output. */
    static Child start(List<String> command) throws IOException {
        return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Whether this process ignores the signal (Linux: the SigIgn mask of /proc/self/status). */
    private static boolean ignored(String signal) throws IOException {
        int number = switch (signal) {
            case "HUP" -> 1;
            case "INT" -> 2;
            case "TERM" -> 15;
            default -> throw new IllegalArgumentException("signal must be HUP, INT or TERM, was " + signal);
        };
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                return (mask & (1L << (number - 1))) != 0;
            }
        }
        return false;
    }

    long pid() {
        return process.pid();
    }

    /** Sends {@code signal} (HUP, INT, TERM) to the child. */
    void signal(String signal) throws IOException, InterruptedException {
        Peers.Result r = Peers.run(Duration.ofSeconds(10), new byte[0], List.of("kill", "-" + signal, Long.toString(pid())));
        if (r.exitCode() != 0) {
            fail("kill -" + signal + " " + pid() + " failed: " + r.stderr());
        }
    }

    /** Waits for an output line matching {@code wanted}. */
    String await(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        return lines.await(wanted, timeout);
    }

    /** Returns the lines printed so far. */
    List<String> lines() {
        return lines.lines();
    }

    /** Waits for the child to exit and returns its exit code; fails after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the child JVM did not exit within " + timeout + "; it printed " + lines.lines());
        }
        reader.join(timeout.toMillis());
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
