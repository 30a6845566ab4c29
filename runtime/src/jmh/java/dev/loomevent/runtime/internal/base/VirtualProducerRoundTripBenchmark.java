package dev.loomevent.runtime.internal.base;

import dev.loomevent.api.EventBaseConfig;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The wake-up round trip as the data path has it: the producer is a virtual thread (as a reader
 * virtual thread is), it activates the consumer and parks until the consumer unparks it.
 * Each benchmark operation hands {@value #ROUND_TRIPS} round trips to one virtual thread, so JMH's
 * own platform thread stays out of the measured hand-offs; the score is the mean round trip, and the
 * trial's p50/p90/p99 are printed from every round trip recorded.
 */
@State(Scope.Benchmark)
public class VirtualProducerRoundTripBenchmark {
    static final int ROUND_TRIPS = 2_000;

    @Param({"base-virtual", "base-platform", "executor"})
    public String target;

    EventBaseImpl base;
    ExecutorService executor;
    long[] samples = new long[1 << 20];
    int sampled;

    // volatile: the consumer advances it, the producer virtual thread waits on it.
    volatile long done;
    volatile Thread producer;
    final Activation activation = new Activation(0) {
        @Override
        protected void fire() {
            arrived();
        }
    };
    final Runnable runnable = this::arrived;

    @Setup(Level.Trial)
    public void setUp() {
        switch (target) {
            case "base-virtual" -> base = new EventBaseImpl(EventBaseConfig.DEFAULT.withName("rt-virtual"));
            case "base-platform" -> base = new EventBaseImpl(EventBaseConfig.DEFAULT.withName("rt-platform")
                    .withVirtualCallbackThread(false));
            case "executor" -> executor = Executors.newSingleThreadExecutor();
            default -> throw new IllegalArgumentException("target " + target);
        }
        if (base != null) {
            base.start();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        long[] s = Arrays.copyOf(samples, sampled);
        Arrays.sort(s);
        if (s.length > 0) {
            System.out.printf("%n[%s] round trips=%d p50=%.1f us p90=%.1f us p99=%.1f us p99.9=%.1f us%n", target, s.length,
                    s[s.length / 2] / 1e3, s[(int) (s.length * 0.9)] / 1e3, s[(int) (s.length * 0.99)] / 1e3,
                    s[(int) (s.length * 0.999)] / 1e3);
        }
        if (base != null) {
            base.free();
        } else {
            executor.shutdown();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Consumer thread only. */
    void arrived() {
        done = done + 1;
        LockSupport.unpark(producer);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(ROUND_TRIPS)
    public void roundTripFromVirtualThread() throws InterruptedException {
        Thread vt = Thread.ofVirtual().unstarted(() -> {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                long expected = done + 1;
                long t0 = System.nanoTime();
                if (base != null) {
                    base.activate(activation);
                } else {
                    executor.execute(runnable);
                }
                while (done != expected) {
                    LockSupport.park(this);
                }
                long rt = System.nanoTime() - t0;
                if (sampled < samples.length) {
                    samples[sampled++] = rt;
                }
            }
        });
        producer = vt;
        vt.start();
        vt.join();
    }
}
