package dev.loomevent.runtime.internal.base;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.Ev;
import dev.loomevent.api.Event;
import dev.loomevent.api.EventBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records JFR's jdk.VirtualThreadPinned with threshold 0 while a started base (virtual callback
 * thread) takes activations, deferred tasks and timers from virtual threads: none may pin. On JDK
 * 24+ synchronized no longer pins, so this mainly catches native frames and class-init waits; the
 * source rule (no synchronized) covers JDK 21. Checked to fail when a callback parks inside a
 * static initializer ("VM call to ...<clinit> on stack").
 */
@Timeout(30)
class NoPinningTest {

    @Test
    void aBusyStartedBaseNeverPinsACarrier() throws Exception {
        List<RecordedEvent> pinned = new CopyOnWriteArrayList<>();
        try (RecordingStream rs = new RecordingStream()) {
            rs.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            rs.onEvent("jdk.VirtualThreadPinned", pinned::add);
            rs.startAsync();
            try (EventBase base = EventBase.create()) {
                base.start();
                CallbackScheduler s = CallbackScheduler.of(base);
                int producers = 4;
                int perProducer = 5_000;
                CountDownLatch done = new CountDownLatch(producers * perProducer + 100);
                Event timer = base.newEvent(Ev.PERSIST, (e, w, a) -> done.countDown(), null);
                timer.add(Duration.ofMillis(1));
                List<Thread> threads = new ArrayList<>();
                for (int p = 0; p < producers; p++) {
                    threads.add(Thread.ofVirtual().start(() -> {
                        for (int i = 0; i < perProducer; i++) {
                            s.defer(done::countDown);
                            if (i % 64 == 0) {
                                Thread.yield();
                            }
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join();
                }
                assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
                timer.free();
            }
            // stop() returns once every recorded event has reached onEvent
            rs.stop();
        }
        assertThat(pinned).as("pinned: %s", pinned).isEmpty();
    }
}
