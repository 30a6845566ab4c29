package dev.loomevent.runtime.internal.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomevent.api.Ev;
import dev.loomevent.api.Event;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.stats.CallbackKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Priorities (event_base_priority_init, event_priority_set) and the deferred-callback queue; after regress.c test_priorities. */
@Timeout(20)
class PrioritiesAndDeferredTest {

    @Test
    void moreUrgentActiveCallbacksRunFirst() {
        try (EventBase base = EventBase.create()) {
            base.priorityInit(3);
            assertThat(base.priorities()).isEqualTo(3);
            List<Integer> order = new ArrayList<>();
            for (int p : new int[] {2, 0, 1, 2, 0}) {
                Event ev = base.newEvent(0, (e, w, a) -> order.add(e.priority()), null);
                ev.setPriority(p);
                ev.active(Ev.TIMEOUT);
            }
            base.dispatch();
            assertThat(order).containsExactly(0, 0, 1, 2, 2);
        }
    }

    @Test
    void newEventsDefaultToTheMiddlePriority() {
        try (EventBase base = EventBase.create(EventBaseConfig.DEFAULT.withPriorities(5))) {
            assertThat(base.newEvent(0, (e, w, a) -> { }, null).priority()).isEqualTo(2);
        }
    }

    @Test
    void aMoreUrgentActivationFromACallbackRunsBeforeTheRestOfTheLessUrgentQueue() {
        try (EventBase base = EventBase.create()) {
            base.priorityInit(2);
            List<String> order = new ArrayList<>();
            Event urgent = base.newEvent(0, (e, w, a) -> order.add("urgent"), null);
            urgent.setPriority(0);
            Event first = base.newEvent(0, (e, w, a) -> {
                order.add("first");
                urgent.active(Ev.TIMEOUT);
            }, null);
            Event second = base.newEvent(0, (e, w, a) -> order.add("second"), null);
            first.setPriority(1);
            second.setPriority(1);
            first.active(Ev.TIMEOUT);
            second.active(Ev.TIMEOUT);
            base.dispatch();
            assertThat(order).containsExactly("first", "urgent", "second");
        }
    }

    @Test
    void priorityInitIsRefusedWhileSomethingIsActiveAndChecksItsRange() {
        try (EventBase base = EventBase.create()) {
            assertThatThrownBy(() -> base.priorityInit(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
            assertThatThrownBy(() -> base.priorityInit(257)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 257");
            base.newEvent(0, (e, w, a) -> { }, null).active(Ev.TIMEOUT);
            assertThatThrownBy(() -> base.priorityInit(2)).isInstanceOf(IllegalStateException.class);
            assertThat(base.priorities()).isEqualTo(1);
        }
    }

    @Test
    void deferredCallbacksRunAfterTheCurrentRoundInOrderAndNeverRecursively() {
        try (EventBase base = EventBase.create()) {
            CallbackScheduler s = CallbackScheduler.of(base);
            List<String> order = new ArrayList<>();
            AtomicInteger depth = new AtomicInteger();
            AtomicInteger maxDepth = new AtomicInteger();
            Event direct = base.newEvent(0, (e, w, a) -> order.add("direct"), null);
            Runnable[] deferred = new Runnable[1];
            deferred[0] = () -> {
                maxDepth.accumulateAndGet(depth.incrementAndGet(), Math::max);
                order.add("deferred" + order.size());
                if (order.size() < 8) {
                    s.defer(deferred[0]);
                }
                depth.decrementAndGet();
            };
            base.execute(() -> {
                depth.incrementAndGet();
                order.add("first");
                s.defer(() -> order.add("x"));
                s.defer(() -> order.add("y"));
                direct.active(Ev.TIMEOUT);
                s.defer(deferred[0]);
                order.add("first-end");
                depth.decrementAndGet();
            });
            base.dispatch();
            assertThat(order.subList(0, 6)).containsExactly("first", "first-end", "direct", "x", "y", "deferred5");
            assertThat(order).hasSize(8);
            assertThat(maxDepth).hasValue(1);
            assertThat(base.stats().callbacksRun(CallbackKind.DEFERRED)).isEqualTo(6);
        }
    }

    @Test
    void aCallbackThatReactivatesItselfForeverDoesNotStarveActivationsFromOtherThreads() throws Exception {
        try (EventBase base = EventBase.create(EventBaseConfig.DEFAULT.withMaxDispatchCallbacks(4))) {
            CallbackScheduler s = CallbackScheduler.of(base);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger spins = new AtomicInteger();
            CountDownLatch spinning = new CountDownLatch(1);
            Activation spinner = new Activation(0) {
                @Override
                protected void fire() {
                    spins.incrementAndGet();
                    spinning.countDown();
                    if (!stop.get()) {
                        s.activate(this);
                    }
                }
            };
            s.activate(spinner);
            Thread other = Thread.ofVirtual().start(() -> {
                try {
                    spinning.await();
                } catch (InterruptedException e) {
                    return;
                }
                s.defer(() -> stop.set(true));
            });
            assertThat(base.dispatch()).isEqualTo(1);
            other.join();
            assertThat(stop).isTrue();
            assertThat(spins.get()).isPositive();
        }
    }
}
