package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real peers for the examples' end-to-end tests: command-line tools (nc, socat, curl), the JDK's
 * {@code jwebserver}, and child JVMs. A tool missing from the machine makes the test a skip that
 * says how to get it.
 * <p>Any thread; stateless.
 */
final class Peers {
    private Peers() {
    }

    /** What a finished tool printed and returned. */
    record Result(int exitCode, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** Skips the test unless {@code tool} is on the PATH. */
    static void require(String tool, String debianPackage) {
        Assumptions.assumeTrue(onPath(tool), () -> tool + " is not installed: apt-get install " + debianPackage
                + " (./loomevent test installs it when it can)");
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Returns the JDK that runs the tests: its home directory. */
    static Path javaHome() {
        return Path.of(ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("no java command")))
                .getParent().getParent();
    }

    /** Returns a tool of the JDK that runs the tests ({@code java}, {@code jwebserver}), skipping when it lacks it. */
    static Path jdkTool(String name) {
        Path tool = javaHome().resolve("bin").resolve(name);
        Assumptions.assumeTrue(Files.isExecutable(tool), () -> "this JDK has no " + name + " (" + tool + ")");
        return tool;
    }

    /** Returns the class path of the tests, for child JVMs (surefire hides it behind a manifest jar). */
    static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /**
     * Runs {@code command} with {@code stdin} as its input, waits for it to end, and returns what it
     * printed; kills it and fails after {@code timeout}.
     */
    static Result run(Duration timeout, byte[] stdin, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (OutputStream os = p.getOutputStream()) {
                os.write(stdin);
            } catch (IOException ignored) {
                // the tool closed its input early; what it printed tells the test what happened
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outReader = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
        Thread errReader = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(command + " did not finish within " + timeout);
        }
        feeder.join();
        outReader.join();
        errReader.join();
        return new Result(p.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    static void copy(InputStream in, OutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
