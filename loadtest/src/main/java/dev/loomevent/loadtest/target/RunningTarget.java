package dev.loomevent.loadtest.target;

import dev.loomevent.loadtest.report.MeterSnapshot;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * An echo server the harness drives: started by it, or already running elsewhere.
 * <p>Any thread.
 */
public interface RunningTarget extends AutoCloseable {

    /** Returns the target's name ({@code loomevent}, {@code netty-nio}, {@code libevent}, {@code host:port}). */
    String name();

    /** Returns how the server runs: process, CPU pinning, heap. */
    String description();

    /** Returns where it listens. */
    InetSocketAddress address();

    /** Returns the server's process id, or -1 when unknown. */
    long pid();

    /** Returns whether the server runs inside this JVM (its CPU and memory then mix with the client's). */
    boolean inProcess();

    /** Returns how many CPUs the server may use, 0 when unknown. */
    int cpus();

    /** Returns the server's Micrometer meters now; empty when the server is not ours. */
    List<MeterSnapshot> metrics();

    /** Stops the server if the harness started it. */
    @Override
    void close();
}
