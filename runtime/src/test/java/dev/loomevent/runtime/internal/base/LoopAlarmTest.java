package dev.loomevent.runtime.internal.base;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.EventBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The alarm that lets a virtual loop thread park untimed: it must wake the loop at the first
 * deadline, follow a deadline that moves earlier, and forget a freed base. A missed wake-up shows
 * as a test that never ends, which the timeout turns into a failure.
 */
@Timeout(20)
class LoopAlarmTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Parks untimed until {@code deadline} has passed: only an unpark can end each park. */
    private static void parkPast(long deadline) {
        while (System.nanoTime() - deadline < 0) {
            LockSupport.park();
        }
    }

    @Test
    void unparksTheThreadAtItsDeadline() {
        LoopAlarm.Entry e = new LoopAlarm.Entry();
        long deadline = System.nanoTime() + 20 * MS;
        LoopAlarm.get().set(e, Thread.currentThread(), deadline);
        parkPast(deadline);
        // It fired (or is about to): once fired, the request is gone.
        long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (LoopAlarm.get().pending(e) && System.nanoTime() - bound < 0) {
            LockSupport.park();
        }
        assertThat(LoopAlarm.get().pending(e)).isFalse();
    }

    @Test
    void anEarlierRequestReplacesALaterOne() {
        LoopAlarm.Entry e = new LoopAlarm.Entry();
        LoopAlarm.get().set(e, Thread.currentThread(), System.nanoTime() + TimeUnit.HOURS.toNanos(1));
        long deadline = System.nanoTime() + 10 * MS;
        LoopAlarm.get().set(e, Thread.currentThread(), deadline);
        parkPast(deadline);
        LoopAlarm.get().cancel(e);
        assertThat(LoopAlarm.get().pending(e)).isFalse();
    }

    @Test
    void cancelForgetsTheRequest() {
        LoopAlarm.Entry e = new LoopAlarm.Entry();
        LoopAlarm.get().set(e, Thread.currentThread(), System.nanoTime() + TimeUnit.HOURS.toNanos(1));
        assertThat(LoopAlarm.get().pending(e)).isTrue();
        LoopAlarm.get().cancel(e);
        assertThat(LoopAlarm.get().pending(e)).isFalse();
    }

    @Test
    void aVirtualLoopRunsTimersScheduledFromAnotherThreadInDeadlineOrder() throws InterruptedException {
        try (EventBase base = EventBase.create()) {
            base.start();
            CallbackScheduler s = CallbackScheduler.of(base);
            List<String> order = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(3);
            s.schedule(30 * MS, () -> { order.add("30"); done.countDown(); });
            s.schedule(10 * MS, () -> { order.add("10"); done.countDown(); });
            s.schedule(20 * MS, () -> { order.add("20"); done.countDown(); });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(order).containsExactly("10", "20", "30");
        }
    }

    @Test
    void aVirtualLoopSleepingForAFarTimerWakesForAnEarlierOneAddedLater() throws InterruptedException {
        try (EventBase base = EventBase.create()) {
            EventBaseImpl impl = (EventBaseImpl) base;
            base.start();
            CallbackScheduler s = CallbackScheduler.of(base);
            CountDownLatch far = new CountDownLatch(1);
            s.schedule(TimeUnit.HOURS.toNanos(1), far::countDown);
            // Let the loop go to sleep with only the far timer pending.
            long parks = impl.parkCount();
            long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (impl.parkCount() == parks && System.nanoTime() - bound < 0) {
                Thread.onSpinWait();
            }
            CountDownLatch near = new CountDownLatch(1);
            s.schedule(15 * MS, near::countDown);
            assertThat(near.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(far.getCount()).isEqualTo(1);
        }
    }

    /**
     * A base driven by one virtual thread that stops while its alarm is pending, then by another:
     * the second run must be woken for the same timer, not the first thread.
     */
    @Test
    void aLoopRunOnASecondVirtualThreadIsWokenNotTheFirst() throws Exception {
        try (EventBase base = EventBase.create()) {
            EventBaseImpl impl = (EventBaseImpl) base;
            CountDownLatch fired = new CountDownLatch(1);
            CallbackScheduler.of(base).schedule(300 * MS, () -> {
                fired.countDown();
                base.loopExit(null);
            });
            Thread first = Thread.ofVirtual().start(base::dispatch);
            long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!LoopAlarm.get().pending(impl.alarmEntry()) && System.nanoTime() - bound < 0) {
                Thread.onSpinWait();
            }
            base.loopExit(null);
            first.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(first.isAlive()).isFalse();
            assertThat(fired.getCount()).isEqualTo(1);
            // The run that ended took its request with it.
            assertThat(LoopAlarm.get().pending(impl.alarmEntry())).isFalse();
            Thread second = Thread.ofVirtual().start(base::dispatch);
            assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
            second.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(second.isAlive()).isFalse();
        }
    }

    /**
     * The loop may have to wait for the alarm's lock (held by the alarm thread or another base)
     * while it asks for its deadline; a producer's wake-up in that moment must not be lost.
     */
    @Test
    void aWakeUpWhileTheLoopWaitsForTheAlarmsLockIsNotLost() throws InterruptedException {
        try (EventBase base = EventBase.create()) {
            base.start();
            CallbackScheduler s = CallbackScheduler.of(base);
            long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            java.util.concurrent.locks.ReentrantLock alarmLock = LoopAlarm.get().lockForTests();
            CountDownLatch near = new CountDownLatch(1);
            alarmLock.lock();
            try {
                // The far timer sends the loop to ask the alarm, where it waits for the lock...
                s.schedule(TimeUnit.HOURS.toNanos(1), () -> { });
                while (!alarmLock.hasQueuedThreads() && System.nanoTime() - bound < 0) {
                    Thread.onSpinWait();
                }
                assertThat(alarmLock.hasQueuedThreads()).isTrue();
                // ...while a producer queues a near timer and wakes it.
                s.schedule(MS, near::countDown);
            } finally {
                alarmLock.unlock();
            }
            assertThat(near.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aFreedBaseLeavesNoRequestBehind() {
        EventBaseImpl impl;
        try (EventBase base = EventBase.create()) {
            impl = (EventBaseImpl) base;
            base.start();
            CallbackScheduler.of(base).schedule(TimeUnit.HOURS.toNanos(1), () -> { });
            // The loop asks for the alarm as it goes to sleep with the timer pending.
            long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!LoopAlarm.get().pending(impl.alarmEntry()) && System.nanoTime() - bound < 0) {
                Thread.onSpinWait();
            }
            assertThat(LoopAlarm.get().pending(impl.alarmEntry())).isTrue();
        }
        assertThat(LoopAlarm.get().pending(impl.alarmEntry())).isFalse();
    }
}
