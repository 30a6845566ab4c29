package dev.loomevent.runtime.internal.base;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.LoopFlag;
import dev.loomevent.api.stats.CallbackKind;
import dev.loomevent.runtime.internal.stats.Registry;
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

@Timeout(20)
class EventBaseBasicsTest {

    private static final class Counting extends Activation {
        final AtomicInteger runs = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();
        Runnable then = () -> { };

        Counting(int priority) {
            super(priority, CallbackKind.READ);
        }

        @Override
        protected void fire() {
            runs.incrementAndGet();
            threads.add(Thread.currentThread());
            then.run();
        }
    }

    @Test
    void apiCreatesARuntimeBaseThatIsACallbackScheduler() {
        try (EventBase base = EventBase.create(EventBaseConfig.DEFAULT.withName("basics-api"))) {
            assertThat(base.name()).isEqualTo("basics-api");
            assertThat(CallbackScheduler.of(base)).isSameAs(base);
            assertThat(Registry.INSTANCE.bases()).contains(base.stats());
        }
    }

    @Test
    void freeRemovesTheStatisticsFromTheRegistry() {
        EventBase base = EventBase.create();
        base.free();
        assertThat(Registry.INSTANCE.bases()).doesNotContain(base.stats());
        assertThat(CallbackScheduler.of(base).isFreed()).isTrue();
    }

    @Test
    void dispatchWithNothingPendingReturnsOne() {
        try (EventBase base = EventBase.create()) {
            assertThat(base.dispatch()).isEqualTo(1);
        }
    }

    @Test
    void activationRunsOnTheDispatchingThreadAndCounts() {
        try (EventBase base = EventBase.create()) {
            CallbackScheduler s = CallbackScheduler.of(base);
            Counting a = new Counting(0);
            AtomicBoolean inCb = new AtomicBoolean();
            AtomicReference<EventBase> current = new AtomicReference<>();
            a.then = () -> {
                inCb.set(s.inCallbackThread());
                current.set(EventBase.current());
            };
            s.activate(a);
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(a.runs).hasValue(1);
            assertThat(a.threads).containsExactly(Thread.currentThread());
            assertThat(inCb).isTrue();
            assertThat(current.get()).isSameAs(base);
            assertThat(s.inCallbackThread()).isFalse();
            assertThat(EventBase.current()).isNull();
            assertThat(base.stats().callbacksRun(CallbackKind.READ)).isEqualTo(1);
            assertThat(base.stats().activationsQueued()).isEqualTo(1);
            assertThat(base.stats().loopIterations()).isPositive();
        }
    }

    @Test
    void activationsCoalesceWhileQueued() {
        try (EventBase base = EventBase.create()) {
            CallbackScheduler s = CallbackScheduler.of(base);
            Counting a = new Counting(0);
            for (int i = 0; i < 5; i++) {
                s.activate(a);
            }
            base.loop(EnumSet.of(LoopFlag.NONBLOCK));
            assertThat(a.runs).hasValue(1);
            s.activate(a);
            base.loop(EnumSet.of(LoopFlag.NONBLOCK));
            assertThat(a.runs).hasValue(2);
        }
    }

    @Test
    void anActivationMayReactivateItselfFromItsOwnFire() {
        try (EventBase base = EventBase.create()) {
            CallbackScheduler s = CallbackScheduler.of(base);
            Counting a = new Counting(0);
            a.then = () -> {
                if (a.runs.get() < 3) {
                    s.activate(a);
                }
            };
            s.activate(a);
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(a.runs).hasValue(3);
        }
    }

    @Test
    void startedBaseRunsActivationsFromOtherThreadsOnItsNamedThread() throws Exception {
        try (EventBase base = EventBase.create(EventBaseConfig.DEFAULT.withName("basics-started"))) {
            base.start();
            CallbackScheduler s = CallbackScheduler.of(base);
            CountDownLatch ran = new CountDownLatch(1);
            AtomicReference<Thread> thread = new AtomicReference<>();
            s.defer(() -> {
                thread.set(Thread.currentThread());
                ran.countDown();
            });
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(thread.get().getName()).isEqualTo("basics-started");
            assertThat(thread.get().isVirtual()).isTrue();
            assertThat(base.dispatch()).isEqualTo(-1);
        }
    }

    @Test
    void platformCallbackThreadWhenConfigured() throws Exception {
        try (EventBase base = EventBase.create(EventBaseConfig.DEFAULT.withVirtualCallbackThread(false))) {
            base.start();
            CountDownLatch ran = new CountDownLatch(1);
            AtomicBoolean virtual = new AtomicBoolean(true);
            base.execute(() -> {
                virtual.set(Thread.currentThread().isVirtual());
                ran.countDown();
            });
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(virtual).isFalse();
        }
    }

    @Test
    void freeStopsTheStartedThread() throws Exception {
        EventBase base = EventBase.create();
        base.start();
        AtomicReference<Thread> thread = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        base.execute(() -> {
            thread.set(Thread.currentThread());
            ran.countDown();
        });
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        base.free();
        assertThat(thread.get().join(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(thread.get().isAlive()).isFalse();
    }

    @Test
    void freeClosesOwnedResourcesButNotDisownedOnes() {
        EventBase base = EventBase.create();
        CallbackScheduler s = CallbackScheduler.of(base);
        AtomicInteger closedKept = new AtomicInteger();
        AtomicInteger closedGone = new AtomicInteger();
        AutoCloseable kept = closedKept::incrementAndGet;
        AutoCloseable gone = closedGone::incrementAndGet;
        s.own(kept);
        s.own(gone);
        s.disown(gone);
        base.free();
        base.free();
        assertThat(closedKept).hasValue(1);
        assertThat(closedGone).hasValue(0);
    }

    @Test
    void scheduledTaskRunsAfterItsDelayAndCancelledOneDoesNot() {
        try (EventBase base = EventBase.create()) {
            CallbackScheduler s = CallbackScheduler.of(base);
            List<String> order = new ArrayList<>();
            s.schedule(TimeUnit.MILLISECONDS.toNanos(30), () -> order.add("late"));
            s.schedule(TimeUnit.MILLISECONDS.toNanos(1), () -> order.add("early"));
            CallbackScheduler.Timer cancelled = s.schedule(TimeUnit.MILLISECONDS.toNanos(10), () -> order.add("cancelled"));
            assertThat(cancelled.cancel()).isTrue();
            assertThat(cancelled.cancel()).isFalse();
            assertThat(base.dispatch()).isEqualTo(1);
            assertThat(order).containsExactly("early", "late");
            assertThat(base.stats().callbacksRun(CallbackKind.TIMER)).isEqualTo(2);
        }
    }

    @Test
    void ownedResourceKeepsDispatchRunningUntilDisowned() throws Exception {
        try (EventBase base = EventBase.create()) {
            CallbackScheduler s = CallbackScheduler.of(base);
            AutoCloseable resource = () -> { };
            s.own(resource);
            AtomicInteger result = new AtomicInteger(99);
            Thread t = Thread.ofVirtual().start(() -> result.set(base.dispatch()));
            CountDownLatch ran = new CountDownLatch(1);
            s.defer(ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            s.disown(resource);
            assertThat(t.join(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(result).hasValue(1);
        }
    }

    @Test
    void gaugesShowPendingTimersAndQueuedWork() {
        try (EventBase base = EventBase.create()) {
            CallbackScheduler s = CallbackScheduler.of(base);
            for (int i = 0; i < 3; i++) {
                s.schedule(TimeUnit.HOURS.toNanos(1), () -> { });
            }
            Counting a = new Counting(0);
            s.activate(a);
            assertThat(base.stats().activationQueueDepth()).isEqualTo(1);
            long[] seen = new long[2];
            a.then = () -> {
                s.defer(() -> { });
                s.defer(() -> { });
                base.loopBreak();
            };
            base.loop(EnumSet.of(LoopFlag.ONCE));
            seen[0] = base.stats().pendingTimers();
            seen[1] = base.stats().deferredQueueDepth();
            assertThat(seen[0]).isEqualTo(3);
            assertThat(seen[1]).isEqualTo(2);
            assertThat(base.stats().activationQueueDepth()).isZero();
        }
    }
}
