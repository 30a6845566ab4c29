package dev.loomevent.runtime.internal.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomevent.api.Ev;
import dev.loomevent.api.Event;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.LoopFlag;
import dev.loomevent.api.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Behaviour checked by libevent 2.1.12's test/regress.c (events, timers, loop control, priorities,
 * signals) that the other tests of this package did not cover, re-stated for loomevent's API.
 */
@Timeout(30)
class LibeventRegressEventPortTest {

    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Ports regress.c {@code test_persistent_timeout_jump}: a persistent timer whose loop was held
     * up for several periods fires once, then continues one period after that run instead of
     * catching up the missed periods at once.
     */
    @Test
    void persistentTimerAfterALoopStallFiresOnceThenWaitsAFullPeriod() {
        try (EventBase base = EventBase.create()) {
            base.priorityInit(3);
            AtomicInteger count = new AtomicInteger();
            Event ev = base.newEvent(Ev.PERSIST, (e, w, a) -> {
                if (count.incrementAndGet() == 1) {
                    // the loopexit once-event has priority 1, this timer 2: if both are due in one
                    // round, the exit wins; a catch-up re-arm would be due before it
                    base.loopExit(Duration.ofMillis(50));
                }
            }, null);
            ev.setPriority(2);
            long start = System.nanoTime();
            ev.add(Duration.ofMillis(100));
            // hold the loop up for three and a half periods, as the libevent test sleeps before dispatching
            base.once(0, null, (e, w, a) -> {
                while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(350)) {
                    Thread.onSpinWait();
                }
            }, null);
            assertThat(base.dispatch()).isZero();
            assertThat(base.gotExit()).isTrue();
            assertThat(count).hasValue(1);
        }
    }

    /**
     * Ports regress.c {@code test_persistent_active_timeout}: activating a persistent timer by hand
     * (here with READ) runs it with that result, and its period starts again from that run: the next
     * TIMEOUT comes a full period later, not at the deadline armed before.
     */
    @Test
    void persistentTimerActivatedByHandRestartsItsPeriodFromThatRun() {
        try (EventBase base = EventBase.create()) {
            long period = TimeUnit.MILLISECONDS.toNanos(200);
            List<Integer> whats = new ArrayList<>();
            List<Long> at = new ArrayList<>();
            Event ev = base.newEvent(Ev.PERSIST, (e, w, a) -> {
                whats.add(w);
                at.add(base.cachedNanoTime());
                if (whats.size() == 3) {
                    e.del();
                }
            }, null);
            ev.add(Duration.ofNanos(period));
            base.once(Ev.TIMEOUT, Duration.ofMillis(100), (e, w, a) -> ev.active(Ev.READ), null);
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(whats).containsExactly(Ev.READ, Ev.TIMEOUT, Ev.TIMEOUT);
            // timers never fire early: a period restarted at the READ run puts the TIMEOUT at least
            // a period after it (the deadline armed first was only ~100 ms after it)
            assertThat(at.get(1) - at.get(0)).isGreaterThanOrEqualTo(period);
        }
    }

    /**
     * Ports regress.c {@code test_priorities} (npriorities 1, 2 and 3): two zero-timeout timers that
     * re-add themselves with a zero timeout, one at priority 0 and one at the least urgent priority;
     * the more urgent one starves the other, and the loopexit event (priority n/2) ends the loop.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void aMoreUrgentTimerReaddingItselfStarvesTheLessUrgentOne(int npriorities) {
        try (EventBase base = EventBase.create()) {
            base.priorityInit(npriorities);
            AtomicInteger[] counts = {new AtomicInteger(), new AtomicInteger()};
            Event[] evs = new Event[2];
            for (int i = 0; i < 2; i++) {
                AtomicInteger count = counts[i];
                evs[i] = base.newEvent(0, (e, w, a) -> {
                    if (count.get() == 3) {
                        base.loopExit(null);
                        return;
                    }
                    count.incrementAndGet();
                    e.add(Duration.ZERO);
                }, null);
            }
            evs[0].setPriority(0);
            evs[1].setPriority(npriorities - 1);
            evs[0].add(Duration.ZERO);
            evs[1].add(Duration.ZERO);
            assertThat(base.dispatch()).isZero();
            int expectedTwo = switch (npriorities) {
                case 1 -> 3;
                case 2 -> 1; // runs once more beside the loopexit event, which has priority 1 too
                default -> 0;
            };
            assertThat(counts[0]).hasValue(3);
            assertThat(counts[1]).hasValue(expectedTwo);
        }
    }

    /**
     * Ports regress.c {@code test_loopbreak}: of two zero-timeout timers due in the same round, the
     * first calls loopBreak and the second does not run; gotBreak, not gotExit.
     */
    @Test
    void loopBreakFromAZeroTimeoutTimerSkipsTheOtherDueTimer() {
        try (EventBase base = EventBase.create()) {
            List<String> ran = new ArrayList<>();
            Event first = base.newEvent(0, (e, w, a) -> {
                ran.add("break");
                base.loopBreak();
            }, null);
            Event second = base.newEvent(0, (e, w, a) -> ran.add("fail"), null);
            first.add(Duration.ZERO);
            second.add(Duration.ZERO);
            assertThat(base.dispatch()).isZero();
            assertThat(ran).containsExactly("break");
            assertThat(base.gotBreak()).isTrue();
            assertThat(base.gotExit()).isFalse();
        }
    }

    /**
     * Ports regress.c {@code test_loopexit_multiple}: of two loopexits, the earlier ends the loop,
     * on a base with no other event.
     */
    @Test
    void theEarliestOfTwoLoopExitsEndsTheLoop() {
        try (EventBase base = EventBase.create()) {
            base.loopExit(Duration.ofMinutes(10));
            base.loopExit(Duration.ofMillis(20));
            assertThat(base.dispatch()).isZero();
            assertThat(base.gotExit()).isTrue();
            assertThat(base.gotBreak()).isFalse();
        }
    }

    /**
     * Ports regress.c {@code test_event_once}: once() with a timeout runs once with TIMEOUT; with no
     * timeout and with a zero timeout it runs at once, also with TIMEOUT; a missing callback is
     * refused (libevent: -1; loomevent: an exception).
     */
    @Test
    void onceWithNoZeroAndPositiveTimeoutsEachRunOnceWithTimeout() {
        try (EventBase base = EventBase.create()) {
            AtomicInteger called = new AtomicInteger();
            List<Integer> whats = new ArrayList<>();
            base.once(Ev.TIMEOUT, Duration.ofMillis(50), (e, w, a) -> {
                whats.add(w);
                called.addAndGet(100);
            }, null);
            assertThatThrownBy(() -> base.once(0, null, null, null)).isInstanceOf(NullPointerException.class);
            base.once(Ev.TIMEOUT, null, (e, w, a) -> {
                whats.add(w);
                called.addAndGet(1000);
            }, null);
            base.once(Ev.TIMEOUT, Duration.ZERO, (e, w, a) -> {
                whats.add(w);
                called.addAndGet(1000);
            }, null);
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(called).hasValue(2100);
            assertThat(whats).containsOnly(Ev.TIMEOUT).hasSize(3);
        }
    }

    /**
     * Ports regress.c {@code test_event_once_never}: a once() event not yet due when the loop exits
     * never runs.
     */
    @Test
    void onceNotDueWhenTheLoopExitsDoesNotRun() {
        try (EventBase base = EventBase.create()) {
            AtomicInteger called = new AtomicInteger();
            base.once(Ev.TIMEOUT, Duration.ofSeconds(10), (e, w, a) -> called.incrementAndGet(), null);
            base.loopExit(Duration.ofMillis(75));
            assertThat(base.dispatch()).isZero();
            assertThat(called).hasValue(0);
        }
    }

    /**
     * Ports regress.c {@code test_manipulate_active_events}: an activated event is pending for the
     * bits given to active() (and only those), and a second active() adds its bits.
     */
    @Test
    void pendingReportsTheBitsGivenToActive() {
        try (EventBase base = EventBase.create()) {
            Event ev = base.newEvent(0, (e, w, a) -> { }, null);
            ev.active(Ev.READ);
            assertThat(ev.pending(Ev.READ)).isTrue();
            assertThat(ev.pending(Ev.READ | Ev.TIMEOUT | Ev.WRITE)).isTrue();
            assertThat(ev.pending(Ev.WRITE)).isFalse();
            assertThat(ev.pending(Ev.TIMEOUT)).isFalse();
            ev.active(Ev.WRITE);
            assertThat(ev.pending(Ev.WRITE)).isTrue();
            assertThat(ev.pending(Ev.READ)).isTrue();
            ev.del();
            assertThat(ev.pending(Ev.READ | Ev.WRITE | Ev.TIMEOUT)).isFalse();
        }
    }

    /**
     * Ports regress.c {@code test_free_active_base}: a base freed while one of its events is active
     * and another pending frees them; neither callback runs.
     */
    @Test
    void freeingABaseWithAnActiveAndAPendingEventRunsNeither() {
        EventBase base = EventBase.create();
        AtomicInteger called = new AtomicInteger();
        Event active = base.newEvent(0, (e, w, a) -> called.incrementAndGet(), null);
        Event pending = base.newEvent(0, (e, w, a) -> called.incrementAndGet(), null);
        active.active(Ev.READ);
        pending.add(Duration.ZERO);
        base.free();
        assertThat(base.dispatch()).isEqualTo(-1);
        assertThat(called).hasValue(0);
        assertThat(active.pending(Ev.READ | Ev.TIMEOUT)).isFalse();
        assertThat(pending.pending(Ev.TIMEOUT)).isFalse();
        assertThatThrownBy(() -> active.active(Ev.READ)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Ports regress.c {@code test_del_wait}: del() (and free(), which deletes) called on another
     * thread while the event's callback runs on the callback thread returns only after that callback
     * has returned (libevent event.h: event_del blocks while the callback runs in another thread,
     * unless EV_FINALIZE or event_del_noblock).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void delFromAnotherThreadWaitsForTheRunningCallback(boolean free) throws Exception {
        try (EventBase base = EventBase.create()) {
            base.start();
            CountDownLatch entered = new CountDownLatch(1);
            AtomicBoolean finished = new AtomicBoolean();
            AtomicBoolean delReturned = new AtomicBoolean();
            AtomicReference<Thread> deleter = new AtomicReference<>();
            AtomicInteger runs = new AtomicInteger();
            Event ev = base.newEvent(Ev.PERSIST, (e, w, a) -> {
                runs.incrementAndGet();
                entered.countDown();
                // stay in the callback until the deleter is parked in del() or del() returned
                long end = System.nanoTime() + WAIT_NANOS;
                while (!delReturned.get() && System.nanoTime() - end < 0) {
                    Thread t = deleter.get();
                    if (t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)) {
                        break;
                    }
                    Thread.onSpinWait();
                }
                finished.set(true);
            }, null);
            ev.active(Ev.TIMEOUT);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicBoolean finishedWhenDelReturned = new AtomicBoolean();
            Thread t = Thread.ofPlatform().unstarted(() -> {
                if (free) {
                    ev.free();
                } else {
                    ev.del();
                }
                finishedWhenDelReturned.set(finished.get());
                delReturned.set(true);
            });
            deleter.set(t);
            t.start();
            assertThat(t.join(Duration.ofSeconds(20))).isTrue();
            assertThat(finishedWhenDelReturned).as("the callback had returned when %s() returned", free ? "free" : "del").isTrue();
            assertThat(runs).hasValue(1);
            assertThat(ev.pending(Ev.TIMEOUT)).isFalse();
        }
    }

    /**
     * An event that re-activates itself from its callback runs back to back: del() from another
     * thread must return (no wait for a moment when the event does not run, which may never come),
     * and the event must not run again after del() returned — not even the run its last callback
     * queued. 200 trials, each deleting at a different point of the runs.
     */
    @Test
    void delFromAnotherThreadReturnsWhileTheEventRunsBackToBack() throws Exception {
        try (EventBase base = EventBase.create()) {
            base.start();
            AtomicInteger runs = new AtomicInteger();
            AtomicReference<CountDownLatch> busy = new AtomicReference<>(new CountDownLatch(0));
            Event ev = base.newEvent(Ev.PERSIST, (e, w, a) -> {
                runs.incrementAndGet();
                busy.get().countDown();
                e.active(Ev.TIMEOUT);
            }, null);
            java.util.concurrent.ExecutorService deleter = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                for (int trial = 0; trial < 200; trial++) {
                    CountDownLatch started = new CountDownLatch(1 + trial % 20);
                    busy.set(started);
                    ev.active(Ev.TIMEOUT);
                    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                    int atDel = deleter.submit(() -> {
                        ev.del();
                        return runs.get();
                    }).get(20, TimeUnit.SECONDS);
                    java.util.concurrent.CompletableFuture<Integer> later = new java.util.concurrent.CompletableFuture<>();
                    base.execute(() -> later.complete(runs.get()));
                    assertThat(later.get(10, TimeUnit.SECONDS)).as("runs after del() returned, trial %d", trial).isEqualTo(atDel);
                }
            } finally {
                deleter.shutdownNow();
            }
        }
    }

    /**
     * del() on the callback thread from the event's own callback must not wait for itself
     * (libevent: no wait when EVBASE_IN_THREAD); a persistent timer deleted or freed there never runs again.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void delOrFreeFromTheEventsOwnCallbackDoesNotWaitAndStopsIt(boolean free) {
        try (EventBase base = EventBase.create()) {
            AtomicInteger runs = new AtomicInteger();
            Event ev = base.newEvent(Ev.PERSIST, (e, w, a) -> {
                if (runs.incrementAndGet() == 2) {
                    if (free) {
                        e.free();
                    } else {
                        e.del();
                    }
                }
            }, null);
            ev.add(Duration.ZERO);
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(runs).hasValue(2);
        }
    }

    /**
     * Ports regress.c {@code test_del_notify}: deleting, from another thread, the only pending event
     * of a base whose loop waits in another thread wakes that loop, and dispatch() returns.
     */
    @Test
    void delFromAnotherThreadWakesAnIdleDispatchWhichReturns() throws Exception {
        try (EventBase base = EventBase.create()) {
            Event ev = base.newEvent(0, (e, w, a) -> { }, null);
            ev.add(Duration.ofHours(1));
            CountDownLatch looping = new CountDownLatch(1);
            base.execute(looping::countDown);
            AtomicInteger result = new AtomicInteger(99);
            Thread t = Thread.ofPlatform().start(() -> result.set(base.dispatch()));
            assertThat(looping.await(10, TimeUnit.SECONDS)).isTrue();
            ev.del();
            assertThat(t.join(Duration.ofSeconds(10))).isTrue();
            assertThat(result).hasValue(1);
        }
    }

    /**
     * Ports regress.c {@code test_gettimeofday_cached} ("sleep" variant): the cached time is taken once
     * per round, so a callback that runs after a slow one in the same round sees the same value.
     */
    @Test
    void callbacksOfOneRoundSeeTheSameCachedTime() {
        try (EventBase base = EventBase.create()) {
            long[] seen = new long[2];
            Event slow = base.newEvent(0, (e, w, a) -> {
                seen[0] = base.cachedNanoTime();
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
                while (System.nanoTime() - end < 0) {
                    Thread.onSpinWait();
                }
            }, null);
            Event next = base.newEvent(0, (e, w, a) -> seen[1] = base.cachedNanoTime(), null);
            slow.active(Ev.TIMEOUT);
            next.active(Ev.TIMEOUT);
            base.dispatch();
            assertThat(seen[1]).isEqualTo(seen[0]);
        }
    }

    // ------------------------------------------------------------------ signals (SIGHUP only)

    private static void kill(String signal) {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(ProcessHandle.current().pid()))
                    .inheritIO().start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Ports regress.c {@code test_simplesignal} (and {@code test_simplestsignal}): a signal event added,
     * deleted and added again receives the signal; its callback deletes it and dispatch() returns.
     */
    @Test
    void signalEventAddedDeletedAndAddedAgainGetsTheSignal() {
        try (EventBase base = EventBase.create()) {
            List<Integer> whats = new ArrayList<>();
            Event ev = base.newSignal(Signal.HUP, (e, w, a) -> {
                whats.add(w);
                e.del();
            }, null);
            ev.add(null);
            ev.del();
            ev.add(null);
            kill("HUP");
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(whats).containsExactly(Ev.SIGNAL);
        }
    }

    /** Ports regress.c {@code test_multiplesignal}: two signal events of one signal in one base both run. */
    @Test
    void twoSignalEventsOfOneSignalBothRun() {
        try (EventBase base = EventBase.create()) {
            List<String> ran = new ArrayList<>();
            Event one = base.newSignal(Signal.HUP, (e, w, a) -> {
                ran.add("one");
                e.del();
            }, null);
            Event two = base.newSignal(Signal.HUP, (e, w, a) -> {
                ran.add("two");
                e.del();
            }, null);
            one.add(null);
            two.add(null);
            kill("HUP");
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(ran).containsExactlyInAnyOrder("one", "two");
        }
    }

    /**
     * Ports regress.c {@code test_immediatesignal}: a signal raised before the loop runs is delivered
     * by the next loop. (loomevent's delivery goes through the JVM's signal thread, so ONCE, which
     * waits for it, stands in for libevent's NONBLOCK.)
     */
    @Test
    void aSignalRaisedBeforeTheLoopRunsIsDeliveredByIt() {
        try (EventBase base = EventBase.create()) {
            List<Integer> whats = new ArrayList<>();
            Event ev = base.newSignal(Signal.HUP, (e, w, a) -> {
                whats.add(w);
                e.del();
            }, null);
            ev.add(null);
            kill("HUP");
            assertThat(base.loop(EnumSet.of(LoopFlag.ONCE))).isZero();
            assertThat(whats).containsExactly(Ev.SIGNAL);
        }
    }

    /**
     * Ports regress.c {@code test_signal_assert}: a deleted signal event is no longer called when the
     * signal arrives (another event of the signal keeps loomevent's handler installed, so the JVM's
     * default action does not end the test run).
     */
    @Test
    void aDeletedSignalEventIsNotCalled() {
        try (EventBase base = EventBase.create()) {
            List<String> ran = new ArrayList<>();
            Event deleted = base.newSignal(Signal.HUP, (e, w, a) -> ran.add("deleted"), null);
            Event keeper = base.newSignal(Signal.HUP, (e, w, a) -> ran.add("keeper"), null);
            deleted.add(null);
            keeper.add(null);
            deleted.del();
            kill("HUP");
            assertThat(base.loop(EnumSet.of(LoopFlag.ONCE))).isZero();
            assertThat(base.loop(EnumSet.of(LoopFlag.NONBLOCK))).isZero();
            assertThat(ran).containsExactly("keeper");
            keeper.del();
        }
    }

    /**
     * Ports regress.c {@code test_signal_restore}: after the only signal event of a signal is deleted,
     * the handler installed before it gets the signal again.
     */
    @Test
    void deletingTheLastSignalEventRestoresThePreviousHandler() throws Exception {
        sun.misc.Signal hup = new sun.misc.Signal("HUP");
        CountDownLatch previousCalled = new CountDownLatch(1);
        sun.misc.SignalHandler original = sun.misc.Signal.handle(hup, sig -> previousCalled.countDown());
        try (EventBase base = EventBase.create()) {
            AtomicInteger called = new AtomicInteger();
            Event ev = base.newSignal(Signal.HUP, (e, w, a) -> called.incrementAndGet(), null);
            ev.add(null);
            ev.del();
            kill("HUP");
            assertThat(previousCalled.await(10, TimeUnit.SECONDS)).isTrue();
            base.loop(EnumSet.of(LoopFlag.NONBLOCK));
            assertThat(called).hasValue(0);
        } finally {
            sun.misc.Signal.handle(hup, original);
        }
    }

    /**
     * Ports regress.c {@code test_signal_while_processing}: a signal raised while the signal event's
     * callback runs is delivered again, five times in a row.
     */
    @Test
    void aSignalRaisedWhileItsCallbackRunsIsDeliveredAgain() {
        try (EventBase base = EventBase.create()) {
            AtomicInteger called = new AtomicInteger();
            Event sig = base.newSignal(Signal.HUP, (e, w, a) -> {
                if (called.incrementAndGet() < 5) {
                    kill("HUP");
                } else {
                    e.del();
                    base.loopExit(null);
                }
            }, null);
            sig.add(null);
            base.newEvent(0, (e, w, a) -> kill("HUP"), null).add(Duration.ZERO);
            assertThat(base.dispatch()).isZero();
            assertThat(called).hasValue(5);
        }
    }
}
