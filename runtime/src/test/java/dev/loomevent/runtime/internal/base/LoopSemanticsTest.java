package dev.loomevent.runtime.internal.base;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.Ev;
import dev.loomevent.api.Event;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.LoopFlag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** libevent's event_base_loop/loopexit/loopbreak semantics; cases after regress.c's test_loopexit, test_loopbreak. */
@Timeout(20)
class LoopSemanticsTest {

    @Test
    void loopExitWithDelayEndsTheLoopWhileLaterTimersArePending() {
        try (EventBase base = EventBase.create()) {
            List<String> ran = new ArrayList<>();
            Event early = base.newEvent(0, (e, w, a) -> ran.add("early"), null);
            Event late = base.newEvent(0, (e, w, a) -> ran.add("late"), null);
            early.add(Duration.ofMillis(5));
            late.add(Duration.ofHours(1));
            base.loopExit(Duration.ofMillis(40));
            assertThat(base.dispatch()).isZero();
            assertThat(base.gotExit()).isTrue();
            assertThat(base.gotBreak()).isFalse();
            assertThat(ran).containsExactly("early");
            assertThat(late.pending(Ev.TIMEOUT)).isTrue();
        }
    }

    @Test
    void loopExitWithoutDelayLetsTheCallbacksAlreadyActiveRun() {
        try (EventBase base = EventBase.create()) {
            List<String> ran = new ArrayList<>();
            Event a = base.newEvent(0, (e, w, x) -> {
                ran.add("a");
                base.loopExit(null);
            }, null);
            Event b = base.newEvent(0, (e, w, x) -> ran.add("b"), null);
            Event never = base.newEvent(0, (e, w, x) -> ran.add("timer"), null);
            never.add(Duration.ofHours(1));
            a.active(Ev.TIMEOUT);
            b.active(Ev.TIMEOUT);
            assertThat(base.dispatch()).isZero();
            assertThat(ran).containsExactly("a", "b");
            assertThat(base.gotExit()).isTrue();
        }
    }

    @Test
    void loopBreakSkipsTheRemainingActiveCallbacksWhichRunInTheNextLoop() {
        try (EventBase base = EventBase.create()) {
            List<String> ran = new ArrayList<>();
            Event a = base.newEvent(0, (e, w, x) -> {
                ran.add("a");
                base.loopBreak();
            }, null);
            Event b = base.newEvent(0, (e, w, x) -> ran.add("b"), null);
            a.active(Ev.TIMEOUT);
            b.active(Ev.TIMEOUT);
            assertThat(base.dispatch()).isZero();
            assertThat(base.gotBreak()).isTrue();
            assertThat(ran).containsExactly("a");
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(base.gotBreak()).isFalse();
            assertThat(ran).containsExactly("a", "b");
        }
    }

    @Test
    void loopBreakFromAnotherThreadWakesAnIdleLoop() throws Exception {
        try (EventBase base = EventBase.create()) {
            AtomicInteger result = new AtomicInteger(99);
            CountDownLatch started = new CountDownLatch(1);
            Thread t = Thread.ofPlatform().start(() -> {
                base.execute(started::countDown);
                result.set(base.loop(EnumSet.of(LoopFlag.NO_EXIT_ON_EMPTY)));
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            base.loopBreak();
            assertThat(t.join(Duration.ofSeconds(10))).isTrue();
            assertThat(result).hasValue(0);
            assertThat(base.gotBreak()).isTrue();
        }
    }

    @Test
    void onceWaitsForTheFirstActiveCallbackThenReturns() {
        try (EventBase base = EventBase.create()) {
            List<String> ran = new ArrayList<>();
            base.newEvent(0, (e, w, a) -> ran.add("soon"), null).add(Duration.ofMillis(10));
            base.newEvent(0, (e, w, a) -> ran.add("later"), null).add(Duration.ofHours(1));
            assertThat(base.loop(EnumSet.of(LoopFlag.ONCE))).isZero();
            assertThat(ran).containsExactly("soon");
        }
    }

    @Test
    void onceAlsoRunsTheDeferredCallbacksItsCallbacksQueued() {
        try (EventBase base = EventBase.create()) {
            List<String> ran = new ArrayList<>();
            base.newEvent(0, (e, w, a) -> ran.add("later"), null).add(Duration.ofHours(1));
            base.execute(() -> {
                ran.add("first");
                base.execute(() -> ran.add("deferred"));
            });
            assertThat(base.loop(EnumSet.of(LoopFlag.ONCE))).isZero();
            assertThat(ran).containsExactly("first", "deferred");
        }
    }

    @Test
    void nonblockRunsOnlyWhatIsActiveAndDoesNotWaitForTimers() {
        try (EventBase base = EventBase.create()) {
            List<String> ran = new ArrayList<>();
            base.newEvent(0, (e, w, a) -> ran.add("timer"), null).add(Duration.ofHours(1));
            base.execute(() -> ran.add("task"));
            assertThat(base.loop(EnumSet.of(LoopFlag.NONBLOCK))).isZero();
            assertThat(ran).containsExactly("task");
            assertThat(base.loop(EnumSet.of(LoopFlag.NONBLOCK))).isZero();
            assertThat(ran).containsExactly("task");
        }
    }

    @Test
    void noExitOnEmptyKeepsAnEmptyLoopRunningUntilExit() {
        try (EventBase base = EventBase.create()) {
            AtomicInteger rounds = new AtomicInteger();
            base.execute(() -> {
                rounds.incrementAndGet();
                base.loopExit(Duration.ofMillis(20));
            });
            assertThat(base.loop(EnumSet.of(LoopFlag.NO_EXIT_ON_EMPTY))).isZero();
            assertThat(base.gotExit()).isTrue();
            assertThat(rounds).hasValue(1);
        }
    }

    @Test
    void aSecondThreadAndAReentrantCallGetMinusOne() throws Exception {
        try (EventBase base = EventBase.create()) {
            AtomicInteger reentrant = new AtomicInteger(99);
            AtomicInteger other = new AtomicInteger(99);
            base.execute(() -> {
                reentrant.set(base.dispatch());
                Thread t = Thread.ofVirtual().start(() -> other.set(base.loop(Set.of(LoopFlag.NONBLOCK))));
                try {
                    t.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(reentrant).hasValue(-1);
            assertThat(other).hasValue(-1);
        }
    }

    @Test
    void startWhileRunningThrowsAndFreedBaseRefusesToLoop() {
        EventBase base = EventBase.create();
        base.start();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(base::start)
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            base.free();
        }
        assertThat(base.dispatch()).isEqualTo(-1);
        org.assertj.core.api.Assertions.assertThatThrownBy(base::start).isInstanceOf(IllegalStateException.class);
        base.loopExit(Duration.ofMillis(1));
        base.loopBreak();
        assertThat(base.dispatch()).isEqualTo(-1);
    }

    @Test
    void freeFromACallbackEndsTheLoopAfterItReturns() {
        EventBase base = EventBase.create();
        List<String> ran = new ArrayList<>();
        AtomicInteger closed = new AtomicInteger();
        CallbackScheduler.of(base).own(closed::incrementAndGet);
        base.execute(() -> {
            ran.add("a");
            base.free();
            ran.add("a-after-free");
        });
        base.execute(() -> ran.add("b"));
        assertThat(base.dispatch()).isEqualTo(-1);
        assertThat(ran).containsExactly("a", "a-after-free");
        assertThat(closed).hasValue(1);
    }

    @Test
    void cachedTimeIsTakenAtTheStartOfTheRound() {
        try (EventBase base = EventBase.create()) {
            long before = System.nanoTime();
            long[] seen = new long[2];
            base.execute(() -> {
                seen[0] = base.cachedNanoTime();
                seen[1] = CallbackScheduler.of(base).nanoTime();
            });
            base.dispatch();
            assertThat(seen[0]).isGreaterThanOrEqualTo(before).isEqualTo(seen[1]);
        }
    }
}
