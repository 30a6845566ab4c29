package dev.loomevent.runtime.internal.base;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.EventBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The re-armable timer bufferevent timeouts use: lazy forward re-arming, exact earlier re-arming. */
@Timeout(20)
class RearmableTimerTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void rearmingForwardDelaysTheRunAndRearmingBackBringsItEarlier() {
        try (EventBase base = EventBase.create()) {
            CallbackScheduler s = CallbackScheduler.of(base);
            List<String> order = new ArrayList<>();
            CallbackScheduler.RearmableTimer pushed = s.newTimer(() -> order.add("pushed"));
            CallbackScheduler.RearmableTimer pulled = s.newTimer(() -> order.add("pulled"));
            assertThat(pushed.isArmed()).isFalse();
            pushed.rearm(5 * MS);
            pulled.rearm(TimeUnit.HOURS.toNanos(1));
            s.schedule(20 * MS, () -> order.add("marker"));
            pushed.rearm(40 * MS);
            pulled.rearm(10 * MS);
            assertThat(pushed.isArmed()).isTrue();
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(order).containsExactly("pulled", "marker", "pushed");
            assertThat(pushed.isArmed()).isFalse();
        }
    }

    @Test
    void timerRunsAgainEachTimeItIsRearmedFromItsOwnTask() {
        try (EventBase base = EventBase.create()) {
            CallbackScheduler s = CallbackScheduler.of(base);
            AtomicInteger runs = new AtomicInteger();
            CallbackScheduler.RearmableTimer[] t = new CallbackScheduler.RearmableTimer[1];
            t[0] = s.newTimer(() -> {
                if (runs.incrementAndGet() < 4) {
                    t[0].rearm(MS);
                }
            });
            t[0].rearm(MS);
            base.dispatch();
            assertThat(runs).hasValue(4);
        }
    }

    @Test
    void cancelledTimerDoesNotRunAndCancelReportsWhetherItWasArmed() {
        try (EventBase base = EventBase.create()) {
            CallbackScheduler s = CallbackScheduler.of(base);
            AtomicInteger runs = new AtomicInteger();
            CallbackScheduler.RearmableTimer t = s.newTimer(runs::incrementAndGet);
            assertThat(t.cancel()).isFalse();
            t.rearm(MS);
            assertThat(t.cancel()).isTrue();
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(runs).hasValue(0);
        }
    }

    @Test
    void rearmingFromAnotherThreadWhileTheBaseRunsKeepsPushingTheDeadline() throws Exception {
        try (EventBase base = EventBase.create()) {
            base.start();
            CallbackScheduler s = CallbackScheduler.of(base);
            CountDownLatch ran = new CountDownLatch(1);
            AtomicInteger runs = new AtomicInteger();
            CallbackScheduler.RearmableTimer t = s.newTimer(() -> {
                runs.incrementAndGet();
                ran.countDown();
            });
            // 2,000 re-arms 1 s ahead: the timer must not run while we keep pushing it
            for (int i = 0; i < 2_000; i++) {
                t.rearm(TimeUnit.SECONDS.toNanos(1));
            }
            assertThat(runs).hasValue(0);
            t.rearm(MS);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(runs).hasValue(1);
        }
    }

    @Test
    void theDefaultNewTimerOfTheContractWorksOnAnyScheduler() {
        try (EventBase base = EventBase.create()) {
            CallbackScheduler real = CallbackScheduler.of(base);
            CallbackScheduler plain = new CallbackScheduler() {
                @Override public void activate(Activation a) { real.activate(a); }
                @Override public void defer(Runnable task) { real.defer(task); }
                @Override public boolean inCallbackThread() { return real.inCallbackThread(); }
                @Override public Timer schedule(long d, Runnable task) { return real.schedule(d, task); }
                @Override public long nanoTime() { return real.nanoTime(); }
                @Override public dev.loomevent.runtime.internal.stats.BaseCounters counters() { return real.counters(); }
                @Override public void reportCallbackException(Throwable e) { real.reportCallbackException(e); }
                @Override public void own(AutoCloseable r) { real.own(r); }
                @Override public void disown(AutoCloseable r) { real.disown(r); }
                @Override public boolean isFreed() { return real.isFreed(); }
            };
            List<String> order = new ArrayList<>();
            CallbackScheduler.RearmableTimer t = plain.newTimer(() -> order.add("t"));
            t.rearm(5 * MS);
            t.rearm(20 * MS);
            real.schedule(10 * MS, () -> order.add("marker"));
            assertThat(t.isArmed()).isTrue();
            base.dispatch();
            assertThat(order).containsExactly("marker", "t");
            assertThat(t.isArmed()).isFalse();
        }
    }

    @org.junit.jupiter.api.RepeatedTest(5)
    void concurrentRearmsAndCancelsLeaveATimerThatRunsExactlyOnceAfterTheLastArm() throws Exception {
        long seed = System.nanoTime();
        try (EventBase base = EventBase.create()) {
            base.start();
            CallbackScheduler s = CallbackScheduler.of(base);
            AtomicInteger runs = new AtomicInteger();
            CallbackScheduler.RearmableTimer t = s.newTimer(runs::incrementAndGet);
            List<Thread> threads = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                java.util.Random r = new java.util.Random(seed + k);
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        if (r.nextInt(4) == 0) {
                            t.cancel();
                        } else {
                            t.rearm(r.nextInt(200_000));
                        }
                        if (i % 100 == 0) {
                            Thread.yield();
                        }
                    }
                }));
            }
            for (Thread th : threads) {
                th.join();
            }
            t.cancel();
            roundTrip(s);
            int before = runs.get();
            t.rearm(MS);
            assertThat(t.isArmed()).as("seed %d", seed).isTrue();
            CountDownLatch marker = new CountDownLatch(1);
            s.schedule(20 * MS, marker::countDown);
            assertThat(marker.await(10, TimeUnit.SECONDS)).isTrue();
            roundTrip(s);
            assertThat(runs.get() - before).as("seed %d", seed).isEqualTo(1);
            assertThat(t.isArmed()).as("seed %d", seed).isFalse();
        }
    }

    private static void roundTrip(CallbackScheduler s) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        s.defer(done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
