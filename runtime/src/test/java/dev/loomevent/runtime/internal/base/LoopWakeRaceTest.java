package dev.loomevent.runtime.internal.base;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.EventBaseConfig;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** dispatch() returns as soon as its base is left with nothing, whichever thread empties it, and stops when interrupted. */
@Timeout(120)
class LoopWakeRaceTest {

    /**
     * The last owned resource is disowned from another thread just as the loop is about to park:
     * dispatch() must return 1, not sleep until some unrelated wake-up.
     */
    @Test
    void disowningTheLastResourceWhileTheLoopGoesToSleepEndsDispatch() throws Exception {
        EventBaseImpl base = new EventBaseImpl(EventBaseConfig.DEFAULT);
        SynchronousQueue<Integer> results = new SynchronousQueue<>();
        SynchronousQueue<Boolean> go = new SynchronousQueue<>();
        Thread worker = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (go.take()) {
                    results.put(base.dispatch());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Random rnd = new Random(7);
        AutoCloseable r = () -> { };
        try {
            for (int trial = 0; trial < 20_000; trial++) {
                base.own(r);
                long parks = base.parkCount();
                go.put(true);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (base.parkCount() == parks) {
                    assertThat(System.nanoTime() - end).as("trial %d: the loop never parked", trial).isNegative();
                    Thread.onSpinWait();
                }
                base.execute(() -> { }); // one more round, so the disown below can meet it at any point
                long spin = System.nanoTime() + rnd.nextInt(30_000);
                while (System.nanoTime() < spin) {
                    Thread.onSpinWait();
                }
                base.disown(r);
                Integer ret = results.poll(10, TimeUnit.SECONDS);
                assertThat(ret).as("trial %d: dispatch() still parked on an empty base", trial).isEqualTo(1);
            }
        } finally {
            go.put(false);
            worker.join(10_000);
            base.free();
        }
    }

    @Test
    void interruptingTheLoopThreadEndsDispatchLikeLoopBreakAndKeepsTheStatus() throws Exception {
        EventBaseImpl base = new EventBaseImpl(EventBaseConfig.DEFAULT);
        base.own(() -> { }); // keeps dispatch() waiting for events
        // offer(), not put(): put() would throw at once on the interrupted thread.
        LinkedBlockingQueue<Object[]> out = new LinkedBlockingQueue<>();
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            int ret = base.dispatch();
            out.offer(new Object[] {ret, Thread.currentThread().isInterrupted()});
        });
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (base.parkCount() == 0) {
            assertThat(System.nanoTime() - end).as("the loop never parked").isNegative();
            Thread.onSpinWait();
        }
        t.interrupt();
        Object[] r = out.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("dispatch() did not return after an interrupt").isNotNull();
        assertThat(r[0]).isEqualTo(0);
        assertThat(r[1]).as("interrupt status kept").isEqualTo(true);
        t.join(10_000);
        base.free();
    }
}
