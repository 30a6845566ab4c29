package dev.loomevent.runtime.internal.base;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.Ev;
import dev.loomevent.api.Event;
import dev.loomevent.api.EventBase;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** del() of a persistent timer from another thread stops it for good, as libevent's event_del does. */
@Timeout(60)
class PersistentDelRaceTest {
    /** Waits until the callback thread has run one more round. */
    private static void settle(EventBase base) throws InterruptedException {
        CountDownLatch l = new CountDownLatch(1);
        base.execute(l::countDown);
        assertThat(l.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aPersistentTimerDeletedFromAnotherThreadNeverRunsAgain() throws Exception {
        try (EventBase base = EventBase.create()) {
            base.start();
            for (int i = 0; i < 1000; i++) {
                AtomicInteger runs = new AtomicInteger();
                Event e = base.newEvent(Ev.PERSIST, (ev, w, a) -> runs.incrementAndGet(), null);
                // A zero interval keeps the callback thread re-arming it almost all the time, so
                // the del() below meets it at every point of a run.
                e.add(Duration.ZERO);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (runs.get() < 3) {
                    assertThat(System.nanoTime() - end).isNegative();
                    Thread.onSpinWait();
                }
                e.del();
                settle(base); // a run already under way when del() returned ends here
                int after = runs.get();
                settle(base);
                settle(base);
                assertThat(runs.get()).as("iteration %d: runs after del()", i).isEqualTo(after);
                assertThat(e.pending(Ev.TIMEOUT)).as("iteration %d: still pending", i).isFalse();
                e.free();
            }
        }
    }
}
