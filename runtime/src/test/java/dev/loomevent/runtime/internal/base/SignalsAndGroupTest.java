package dev.loomevent.runtime.internal.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomevent.api.Ev;
import dev.loomevent.api.Event;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.EventBaseGroup;
import dev.loomevent.api.Signal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SignalsAndGroupTest {

    @Test
    void sighupToOurOwnPidRunsTheSignalCallbackOnTheCallbackThread() throws Exception {
        try (EventBase base = EventBase.create()) {
            base.start();
            LinkedBlockingQueue<Integer> whats = new LinkedBlockingQueue<>();
            AtomicReference<Boolean> onCallbackThread = new AtomicReference<>();
            Event ev = base.newSignal(Signal.HUP, (e, w, a) -> {
                onCallbackThread.set(base.inCallbackThread());
                whats.add(w);
            }, null);
            ev.add(null);
            assertThat(ev.pending(Ev.SIGNAL)).isTrue();
            assertThat(ev.events() & (Ev.SIGNAL | Ev.PERSIST)).isEqualTo(Ev.SIGNAL | Ev.PERSIST);
            for (int i = 0; i < 2; i++) {
                kill("HUP");
                assertThat(whats.poll(10, TimeUnit.SECONDS)).isEqualTo(Ev.SIGNAL);
            }
            assertThat(onCallbackThread.get()).isTrue();
            ev.free();
            assertThat(ev.pending(Ev.SIGNAL)).isFalse();
        }
    }

    @Test
    void aPendingSignalEventKeepsDispatchRunning() throws Exception {
        try (EventBase base = EventBase.create()) {
            Event ev = base.newSignal(Signal.HUP, (e, w, a) -> e.del(), null);
            ev.add(null);
            CountDownLatch looping = new CountDownLatch(1);
            base.execute(looping::countDown);
            AtomicReference<Integer> result = new AtomicReference<>();
            Thread t = Thread.ofVirtual().start(() -> result.set(base.dispatch()));
            assertThat(looping.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(t.isAlive()).isTrue();
            kill("HUP");
            assertThat(t.join(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(result.get()).isEqualTo(1);
        }
    }

    @Test
    void thePreviousHandlerIsBackOnceTheLastSignalEventIsFreed() {
        sun.misc.Signal hup = new sun.misc.Signal("HUP");
        sun.misc.SignalHandler probe = sig -> { };
        sun.misc.SignalHandler original = sun.misc.Signal.handle(hup, probe);
        sun.misc.Signal.handle(hup, original);
        try (EventBase a = EventBase.create(); EventBase b = EventBase.create()) {
            Event ea = a.newSignal(Signal.HUP, (e, w, x) -> { }, null);
            Event eb = b.newSignal(Signal.HUP, (e, w, x) -> { }, null);
            ea.add(null);
            eb.add(null);
            ea.free();
            // sun.misc.Signal wraps the JVM's handler anew on each call; its toString names the handler
            assertThat(installed(hup, original).toString()).isNotEqualTo(original.toString());
            eb.free();
            assertThat(installed(hup, original).toString()).isEqualTo(original.toString());
        }
    }

    /** Returns the handler installed now, putting it back. */
    private static sun.misc.SignalHandler installed(sun.misc.Signal sig, sun.misc.SignalHandler placeholder) {
        sun.misc.SignalHandler now = sun.misc.Signal.handle(sig, placeholder);
        sun.misc.Signal.handle(sig, now);
        return now;
    }

    private static void kill(String signal) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(ProcessHandle.current().pid()))
                .inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void groupStartsNamedBasesAndSpreadsRoundRobin() throws Exception {
        try (EventBaseGroup group = EventBaseGroup.create(3, EventBaseConfig.DEFAULT.withName("grp"))) {
            List<EventBase> bases = group.bases();
            assertThat(bases).extracting(EventBase::name).containsExactly("grp-0", "grp-1", "grp-2");
            Set<EventBase> picked = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                picked.add(group.next(EventBaseGroup.Distribution.ROUND_ROBIN));
            }
            assertThat(picked).containsExactlyInAnyOrderElementsOf(bases);
            for (EventBase b : bases) {
                CountDownLatch ran = new CountDownLatch(1);
                AtomicReference<EventBase> current = new AtomicReference<>();
                b.execute(() -> {
                    current.set(EventBase.current());
                    ran.countDown();
                });
                assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(current.get()).isSameAs(b);
            }
        }
    }

    @Test
    void groupPicksTheBaseWithFewestOpenConnections() {
        try (EventBaseGroup group = EventBaseGroup.create(3, EventBaseConfig.DEFAULT)) {
            List<EventBase> bases = group.bases();
            CallbackScheduler.of(bases.get(0)).counters().connectionOpened();
            CallbackScheduler.of(bases.get(0)).counters().connectionOpened();
            CallbackScheduler.of(bases.get(2)).counters().connectionOpened();
            assertThat(group.next(EventBaseGroup.Distribution.FEWEST_CONNECTIONS)).isSameAs(bases.get(1));
            CallbackScheduler.of(bases.get(1)).counters().connectionOpened();
            CallbackScheduler.of(bases.get(1)).counters().connectionOpened();
            assertThat(group.next(EventBaseGroup.Distribution.FEWEST_CONNECTIONS)).isSameAs(bases.get(2));
        }
    }

    @Test
    void groupFreeFreesEveryBaseAndRejectsBadSize() {
        EventBaseGroup group = EventBaseGroup.create(2, EventBaseConfig.DEFAULT);
        group.free();
        assertThat(group.bases()).allMatch(b -> CallbackScheduler.of(b).isFreed());
        assertThatThrownBy(() -> EventBaseGroup.create(0, EventBaseConfig.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
    }
}
