package dev.loomevent.runtime.internal.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomevent.api.Ev;
import dev.loomevent.api.Event;
import dev.loomevent.api.EventBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timer events (evtimer_*, event_base_once); cases after libevent's regress.c test_timeout, test_persistent_timeout. */
@Timeout(30)
class TimerEventsTest {

    @Test
    void timersFireInDeadlineOrder() {
        try (EventBase base = EventBase.create()) {
            List<Integer> order = new ArrayList<>();
            for (int ms : new int[] {30, 10, 20, 0, 25}) {
                base.newEvent(0, (e, w, a) -> order.add((Integer) a), ms).add(Duration.ofMillis(ms));
            }
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(order).containsExactly(0, 10, 20, 25, 30);
        }
    }

    @Test
    void timerCallbackGetsTimeoutAndTheEventIsNoLongerPending() {
        try (EventBase base = EventBase.create()) {
            int[] what = new int[1];
            boolean[] pendingInside = new boolean[1];
            Event ev = base.newEvent(0, (e, w, a) -> {
                what[0] = w;
                pendingInside[0] = e.pending(Ev.TIMEOUT);
            }, null);
            ev.add(Duration.ofMillis(1));
            assertThat(ev.pending(Ev.TIMEOUT)).isTrue();
            assertThat(ev.pending(Ev.SIGNAL)).isFalse();
            base.dispatch();
            assertThat(what[0]).isEqualTo(Ev.TIMEOUT);
            assertThat(pendingInside[0]).isFalse();
            assertThat(ev.pending(Ev.TIMEOUT)).isFalse();
        }
    }

    @Test
    void persistentTimerFiresUntilDeleted() {
        try (EventBase base = EventBase.create()) {
            AtomicInteger fired = new AtomicInteger();
            Event ev = base.newEvent(Ev.PERSIST, (e, w, a) -> {
                if (fired.incrementAndGet() == 5) {
                    e.del();
                }
            }, null);
            ev.add(Duration.ofMillis(2));
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(fired).hasValue(5);
            assertThat(ev.pending(Ev.TIMEOUT)).isFalse();
            assertThat(ev.events() & Ev.PERSIST).isEqualTo(Ev.PERSIST);
        }
    }

    @Test
    void deletedTimerDoesNotFire() {
        try (EventBase base = EventBase.create()) {
            AtomicInteger fired = new AtomicInteger();
            Event ev = base.newEvent(0, (e, w, a) -> fired.incrementAndGet(), null);
            ev.add(Duration.ofMillis(1));
            ev.del();
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(fired).hasValue(0);
        }
    }

    @Test
    void delAlsoCancelsAnActivationNotYetRun() {
        try (EventBase base = EventBase.create()) {
            AtomicInteger fired = new AtomicInteger();
            Event ev = base.newEvent(0, (e, w, a) -> fired.incrementAndGet(), null);
            ev.active(Ev.TIMEOUT);
            assertThat(ev.pending(Ev.TIMEOUT)).isTrue();
            ev.del();
            base.dispatch();
            assertThat(fired).hasValue(0);
        }
    }

    @Test
    void addingAPendingTimerAgainReschedulesItEarlierOrLater() {
        try (EventBase base = EventBase.create()) {
            List<String> order = new ArrayList<>();
            Event a = base.newEvent(0, (e, w, x) -> order.add("a"), null);
            Event b = base.newEvent(0, (e, w, x) -> order.add("b"), null);
            Event c = base.newEvent(0, (e, w, x) -> order.add("c"), null);
            a.add(Duration.ofMillis(5));
            b.add(Duration.ofMillis(20));
            c.add(Duration.ofHours(1));
            a.add(Duration.ofMillis(40));
            c.add(Duration.ofMillis(30));
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(order).containsExactly("b", "c", "a");
        }
    }

    @Test
    void addWithoutTimeoutLeavesAScheduledTimeoutAsItIs() {
        try (EventBase base = EventBase.create()) {
            AtomicInteger fired = new AtomicInteger();
            Event ev = base.newEvent(0, (e, w, a) -> fired.incrementAndGet(), null);
            ev.add(Duration.ofMillis(5));
            ev.add(null);
            assertThat(ev.pending(Ev.TIMEOUT)).isTrue();
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(fired).hasValue(1);
        }
    }

    @Test
    void activeOrsTheResultBitsOfSeveralActivationsIntoOneRun() {
        try (EventBase base = EventBase.create()) {
            List<Integer> whats = new ArrayList<>();
            Event ev = base.newEvent(0, (e, w, a) -> whats.add(w), null);
            ev.active(Ev.READ);
            ev.active(Ev.WRITE);
            base.dispatch();
            assertThat(whats).containsExactly(Ev.READ | Ev.WRITE);
        }
    }

    @Test
    void onceRunsOnceWithTimeoutAndForgetsTheEvent() {
        try (EventBase base = EventBase.create()) {
            List<String> order = new ArrayList<>();
            base.once(Ev.TIMEOUT, Duration.ofMillis(10), (e, w, a) -> order.add("timed:" + w), null);
            base.once(0, null, (e, w, a) -> order.add("now:" + w), null);
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(order).containsExactly("now:" + Ev.TIMEOUT, "timed:" + Ev.TIMEOUT);
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(order).hasSize(2);
        }
    }

    @Test
    void onceRejectsPersistAndSignal() {
        try (EventBase base = EventBase.create()) {
            assertThatThrownBy(() -> base.once(Ev.PERSIST, null, (e, w, a) -> { }, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x10");
            assertThatThrownBy(() -> base.once(Ev.SIGNAL, null, (e, w, a) -> { }, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x8");
        }
    }

    @Test
    void badArgumentsNameTheValue() {
        try (EventBase base = EventBase.create()) {
            Event ev = base.newEvent(0, (e, w, a) -> { }, null);
            assertThatThrownBy(() -> ev.add(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.001S");
            assertThatThrownBy(() -> ev.setPriority(1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 1");
            assertThatThrownBy(() -> base.newEvent(Ev.READ, (e, w, a) -> { }, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x2");
            ev.free();
            assertThatThrownBy(() -> ev.add(null)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void timersAddedFromAnotherThreadWakeAStartedBase() throws Exception {
        try (EventBase base = EventBase.create()) {
            base.start();
            CountDownLatch fired = new CountDownLatch(3);
            List<Boolean> onCallbackThread = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int ms : new int[] {30, 1, 15}) {
                base.newEvent(0, (e, w, a) -> {
                    onCallbackThread.add(base.inCallbackThread());
                    fired.countDown();
                }, null).add(Duration.ofMillis(ms));
            }
            assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(onCallbackThread).containsExactly(true, true, true);
        }
    }

    @Test
    void hundredThousandTimersFireInOrderWithHalfCancelledFromAnotherThread() throws Exception {
        int n = 100_000;
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (EventBase base = EventBase.create()) {
            CallbackScheduler s = CallbackScheduler.of(base);
            long[] earliest = new long[n];
            long[] latest = new long[n];
            int[] firedOrder = new int[n];
            AtomicInteger fired = new AtomicInteger();
            CallbackScheduler.Timer[] handles = new CallbackScheduler.Timer[n];
            for (int i = 0; i < n; i++) {
                long delay = TimeUnit.MICROSECONDS.toNanos(random.nextInt(100_000));
                int id = i;
                earliest[i] = System.nanoTime() + delay;
                handles[i] = s.schedule(delay, () -> firedOrder[fired.getAndIncrement()] = id);
                latest[i] = System.nanoTime() + delay;
            }
            Thread canceller = Thread.ofVirtual().start(() -> {
                for (int i = 1; i < n; i += 2) {
                    handles[i].cancel();
                }
            });
            canceller.join();
            assertThat(base.dispatch()).as("seed %d", seed).isEqualTo(1);
            assertThat(fired.get()).as("seed %d", seed).isEqualTo(n / 2);
            assertThat(base.stats().pendingTimers()).isZero();
            for (int k = 0; k < n / 2; k++) {
                int id = firedOrder[k];
                assertThat(id % 2).as("seed %d: cancelled timer %d ran", seed, id).isZero();
                if (k > 0) {
                    int prev = firedOrder[k - 1];
                    // prev fired first: it cannot have been due strictly after id
                    assertThat(latest[id] - earliest[prev]).as("seed %d: timers %d then %d", seed, prev, id)
                            .isGreaterThanOrEqualTo(0);
                }
            }
        }
    }
}
