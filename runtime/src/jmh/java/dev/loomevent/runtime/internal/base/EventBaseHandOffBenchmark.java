package dev.loomevent.runtime.internal.base;

import dev.loomevent.api.EventBaseConfig;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * Hand-off from producer threads to one consumer thread: an event base's callback thread (virtual
 * or platform) against a {@code java.util.concurrent} single-thread executor doing the same work.
 * <p>{@code throughput}: each producer sends a batch of {@value #BATCH} messages (pre-allocated
 * activations / runnables, as a bufferevent re-uses its activations) and waits until the consumer
 * has run all of them; score = messages per second. {@code wakeUpLatency}: one message to an idle
 * consumer and back (the consumer unparks the producer): the round trip of two wake-ups.
 * <p>Run with {@code -t 1} and {@code -t 4} for 1 and 4 producers.
 */
public class EventBaseHandOffBenchmark {
    static final int BATCH = 10_000;

    /** The consumer under test. */
    @State(Scope.Benchmark)
    public static class Target {
        @Param({"base-virtual", "base-platform", "executor"})
        public String target;

        EventBaseImpl base;
        ExecutorService executor;
        final LongAdder sent = new LongAdder();

        @Setup(Level.Trial)
        public void setUp() {
            switch (target) {
                case "base-virtual" -> base = new EventBaseImpl(EventBaseConfig.DEFAULT.withName("bench-virtual"));
                case "base-platform" -> base = new EventBaseImpl(EventBaseConfig.DEFAULT.withName("bench-platform")
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
            if (base != null) {
                long n = Math.max(1, sent.sum());
                System.out.printf("%n[%s] messages=%d parks=%d unparks=%d unparks/message=%.4f%n", target, sent.sum(),
                        base.parkCount(), base.unparkCount(), base.unparkCount() / (double) n);
                base.free();
            } else {
                executor.shutdown();
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    /** One producer: its messages and the count the consumer advances. */
    @State(Scope.Thread)
    public static class Producer {
        Thread thread;
        // volatile: written by the single consumer thread, read by this producer while it waits.
        volatile long done;
        long expected;
        final Msg[] activations = new Msg[BATCH];
        final Runnable[] runnables = new Runnable[BATCH];

        @Setup(Level.Trial)
        public void setUp() {
            // Thread-scoped setup runs on the benchmark thread that will wait
            thread = Thread.currentThread();
            for (int i = 0; i < BATCH; i++) {
                activations[i] = new Msg(this);
                runnables[i] = this::arrived;
            }
        }

        /** Consumer thread only. */
        void arrived() {
            long d = done + 1;
            done = d;
            if (d == expected) {
                LockSupport.unpark(thread);
            }
        }

        void await() {
            while (done != expected) {
                LockSupport.park(this);
            }
        }
    }

    static final class Msg extends Activation {
        private final Producer producer;

        Msg(Producer producer) {
            super(0);
            this.producer = producer;
        }

        @Override
        protected void fire() {
            producer.arrived();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void throughput(Target t, Producer p) {
        p.expected = p.done + BATCH;
        if (t.base != null) {
            for (Msg m : p.activations) {
                t.base.activate(m);
            }
        } else {
            for (Runnable r : p.runnables) {
                t.executor.execute(r);
            }
        }
        t.sent.add(BATCH);
        p.await();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void wakeUpLatency(Target t, Producer p) {
        p.expected = p.done + 1;
        if (t.base != null) {
            t.base.activate(p.activations[0]);
        } else {
            t.executor.execute(p.runnables[0]);
        }
        t.sent.increment();
        p.await();
    }
}
