package dev.loomevent.examples;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * What an example prints, captured line by line so a test can wait (bounded) for a line.
 * <p>Any thread; state guarded by {@code lock}.
 */
final class Lines extends OutputStream {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition lineAdded = lock.newCondition();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream(); // guarded by lock
    private final ByteArrayOutputStream all = new ByteArrayOutputStream(); // guarded by lock
    private final List<String> lines = new ArrayList<>(); // guarded by lock
    private final PrintStream printStream = new PrintStream(this, true, StandardCharsets.UTF_8);

    /** The stream to give the example. */
    PrintStream printStream() {
        return printStream;
    }

    @Override
    public void write(int b) {
        lock.lock();
        try {
            all.write(b);
            if (b == '\n') {
                lines.add(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
                lineAdded.signalAll();
            } else {
                partial.write(b);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            write(b[off + i]);
        }
    }

    /** Returns every byte printed so far, decoded as UTF-8. */
    String text() {
        lock.lock();
        try {
            return all.toString(StandardCharsets.UTF_8);
        } finally {
            lock.unlock();
        }
    }

    /** Returns the complete lines printed so far. */
    List<String> lines() {
        lock.lock();
        try {
            return List.copyOf(lines);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a complete line matches {@code wanted} and returns it; fails after {@code timeout}. */
    String await(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                for (String line : lines) {
                    if (wanted.test(line)) {
                        return line;
                    }
                }
                if (nanos <= 0) {
                    return fail("no matching line within " + timeout + "; printed so far: " + lines);
                }
                nanos = lineAdded.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at least {@code n} lines have been printed; fails after {@code timeout}. */
    List<String> awaitCount(int n, Duration timeout) throws InterruptedException {
        long nanos = TimeUnit.NANOSECONDS.convert(timeout);
        lock.lock();
        try {
            while (lines.size() < n) {
                if (nanos <= 0) {
                    return fail("fewer than " + n + " lines within " + timeout + ": " + lines);
                }
                nanos = lineAdded.awaitNanos(nanos);
            }
            return List.copyOf(lines);
        } finally {
            lock.unlock();
        }
    }
}
