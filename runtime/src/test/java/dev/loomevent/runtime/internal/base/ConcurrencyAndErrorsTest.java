package dev.loomevent.runtime.internal.base;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.Ev;
import dev.loomevent.api.Event;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.stats.CallbackKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ConcurrencyAndErrorsTest {

    @Test
    void tasksFromEightThreadsAtOnceRunExactlyOnceEachInPerThreadOrder() throws Exception {
        int threads = 8;
        int perThread = 20_000;
        EventBase base = EventBase.create();
        try {
            base.start();
            CallbackScheduler s = CallbackScheduler.of(base);
            AtomicIntegerArray runs = new AtomicIntegerArray(threads * perThread);
            int[] lastSeen = new int[threads];
            java.util.Arrays.fill(lastSeen, -1);
            AtomicInteger outOfOrder = new AtomicInteger();
            AtomicInteger offThread = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(threads * perThread);
            CyclicBarrier go = new CyclicBarrier(threads);
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int producer = t;
                Thread.Builder b = producer % 2 == 0 ? Thread.ofVirtual() : Thread.ofPlatform();
                producers.add(b.start(() -> {
                    try {
                        go.await();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    for (int i = 0; i < perThread; i++) {
                        int seq = i;
                        s.defer(() -> {
                            if (!s.inCallbackThread()) {
                                offThread.incrementAndGet();
                            }
                            runs.incrementAndGet(producer * perThread + seq);
                            if (lastSeen[producer] != seq - 1) {
                                outOfOrder.incrementAndGet();
                            }
                            lastSeen[producer] = seq;
                            done.countDown();
                        });
                    }
                }));
            }
            for (Thread p : producers) {
                p.join();
            }
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < runs.length(); i++) {
                assertThat(runs.get(i)).as("task %d", i).isEqualTo(1);
            }
            assertThat(outOfOrder).hasValue(0);
            assertThat(offThread).hasValue(0);
        } finally {
            base.free();
        }
        // the callback thread records its counts after each run of callbacks: read them once it ended
        assertThat(base.stats().callbacksRun(CallbackKind.DEFERRED)).isEqualTo((long) threads * perThread);
    }

    @Test
    void coalescedActivationsFromEightThreadsLoseNoUpdate() throws Exception {
        int threads = 8;
        int perThread = 20_000;
        try (EventBase base = EventBase.create()) {
            base.start();
            CallbackScheduler s = CallbackScheduler.of(base);
            AtomicLong produced = new AtomicLong();
            AtomicLong consumed = new AtomicLong();
            AtomicInteger fires = new AtomicInteger();
            Activation consumer = new Activation(0, CallbackKind.READ) {
                @Override
                protected void fire() {
                    fires.incrementAndGet();
                    consumed.set(produced.get());
                }
            };
            CyclicBarrier go = new CyclicBarrier(threads);
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                producers.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    for (int i = 0; i < perThread; i++) {
                        produced.incrementAndGet();
                        s.activate(consumer);
                    }
                }));
            }
            for (Thread p : producers) {
                p.join();
            }
            CountDownLatch drained = new CountDownLatch(1);
            s.defer(drained::countDown);
            assertThat(drained.await(20, TimeUnit.SECONDS)).isTrue();
            // every increment was followed by an activation, so the last fire saw the final count
            assertThat(consumed.get()).isEqualTo((long) threads * perThread);
            assertThat(fires.get()).isBetween(1, threads * perThread);
            assertThat(base.stats().activationsQueued()).isEqualTo(fires.get() + 1L);
        }
    }

    @Test
    void callbackExceptionsGoToTheHandlerAndTheLoopGoesOn() {
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        try (EventBase base = EventBase.create(EventBaseConfig.DEFAULT.withErrorHandler((b, t) -> seen.add(t)))) {
            List<String> ran = new ArrayList<>();
            base.execute(() -> {
                throw new IllegalStateException("boom-deferred");
            });
            Event ev = base.newEvent(0, (e, w, a) -> {
                throw new IllegalArgumentException("boom-timer");
            }, null);
            ev.active(Ev.TIMEOUT);
            CallbackScheduler.of(base).schedule(0, () -> {
                throw new AssertionError("boom-error");
            });
            base.execute(() -> ran.add("after"));
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(ran).containsExactly("after");
            assertThat(seen).extracting(Throwable::getMessage)
                    .containsExactlyInAnyOrder("boom-deferred", "boom-timer", "boom-error");
            assertThat(base.stats().callbackExceptions()).isEqualTo(3);
        }
    }

    @Test
    void defaultHandlerLogsAndAThrowingHandlerDoesNotKillTheLoop() {
        try (EventBase base = EventBase.create(EventBaseConfig.DEFAULT.withErrorHandler((b, t) -> {
            throw new IllegalStateException("handler broke");
        }))) {
            List<String> ran = new ArrayList<>();
            base.execute(() -> {
                throw new IllegalStateException("boom");
            });
            base.execute(() -> ran.add("after"));
            base.dispatch();
            assertThat(ran).containsExactly("after");
            assertThat(base.stats().callbackExceptions()).isEqualTo(1);
        }
    }
}
