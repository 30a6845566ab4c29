package dev.loomevent.metrics;

import dev.loomevent.api.Direction;
import dev.loomevent.api.stats.CallbackKind;
import dev.loomevent.api.stats.EventBaseStats;
import dev.loomevent.api.stats.ListenerStats;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The meters bound per event base and per listener, one row each; {@code docs/metrics.md} documents
 * every row and a test checks the two agree. A new statistic is a new row here: existing rows, and
 * so existing meter names and tags, never change. Rows that take an enum ({@link CallbackKind},
 * {@link Direction}) get one meter per constant, so a new constant is a new tag value.
 * <p>Immutable.
 */
final class MeterTables {
    /** The tag naming the event base. */
    static final String BASE_TAG = "base";
    /** The tag naming the listener. */
    static final String LISTENER_TAG = "listener";

    /** Micrometer has no constant for it; the Prometheus registry expects this spelling. */
    private static final String SECONDS = "seconds";
    private static final double NANOS_PER_SECOND = 1e9;

    /** The meters of each event base. */
    static final List<MeterDef<EventBaseStats>> BASE = baseMeters();
    /** The meters of each listener. */
    static final List<MeterDef<ListenerStats>> LISTENER = listenerMeters();

    private MeterTables() {
    }

    /** Returns an enum constant as a tag value: {@code READ} becomes {@code read}. */
    static String tagValue(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static List<MeterDef<EventBaseStats>> baseMeters() {
        List<MeterDef<EventBaseStats>> m = new ArrayList<>();
        Tags none = Tags.empty();
        m.add(new MeterDef.Counter<>("loomevent.connections.opened", null,
                "Connections the base opened or adopted", none, EventBaseStats::connectionsOpened));
        m.add(new MeterDef.Counter<>("loomevent.connections.closed", null,
                "Connections of the base closed or freed", none, EventBaseStats::connectionsClosed));
        m.add(new MeterDef.Level<>("loomevent.connections.open", null,
                "Connections of the base open now", none, EventBaseStats::connectionsOpen));
        for (Direction d : Direction.values()) {
            Tags dir = Tags.of("direction", tagValue(d));
            m.add(new MeterDef.Counter<>("loomevent.io", BaseUnits.BYTES,
                    "Bytes read from or written to the base's connections", dir,
                    d == Direction.READ ? EventBaseStats::bytesRead : EventBaseStats::bytesWritten));
            m.add(new MeterDef.Counter<>("loomevent.timeouts", null,
                    "Read or write timeouts that fired", dir, s -> s.timeouts(d)));
            m.add(new MeterDef.Counter<>("loomevent.eofs", null,
                    "End-of-file conditions seen", dir, s -> s.eofs(d)));
            m.add(new MeterDef.Counter<>("loomevent.errors", null,
                    "I/O errors reported to event callbacks", dir, s -> s.errors(d)));
        }
        for (CallbackKind k : CallbackKind.values()) {
            m.add(new MeterDef.Timing<>("loomevent.callbacks",
                    "Callbacks run on the base's callback thread, and the time they took",
                    Tags.of("kind", tagValue(k)), s -> s.callbacksRun(k), s -> s.callbackNanos(k)));
        }
        m.add(new MeterDef.Counter<>("loomevent.callback.exceptions", null,
                "Exceptions thrown by user callbacks (reported, the loop went on)", none,
                EventBaseStats::callbackExceptions));
        m.add(new MeterDef.Counter<>("loomevent.activations.queued", null,
                "Activations queued to the callback thread, after coalescing", none,
                EventBaseStats::activationsQueued));
        m.add(new MeterDef.Level<>("loomevent.activation.queue.depth", null,
                "Activations waiting for the callback thread now", none, EventBaseStats::activationQueueDepth));
        m.add(new MeterDef.Level<>("loomevent.deferred.queue.depth", null,
                "Deferred callbacks waiting now", none, EventBaseStats::deferredQueueDepth));
        m.add(new MeterDef.Counter<>("loomevent.loop.iterations", null,
                "Rounds of the base's loop", none, EventBaseStats::loopIterations));
        m.add(new MeterDef.Level<>("loomevent.timers.pending", null,
                "Timers pending now", none, EventBaseStats::pendingTimers));
        m.add(new MeterDef.Counter<>("loomevent.read.backpressure", SECONDS,
                "Time readers were held at their read high-watermark", none,
                s -> s.readHighWatermarkNanos() / NANOS_PER_SECOND));
        m.add(new MeterDef.Level<>("loomevent.output.above.watermark", BaseUnits.BYTES,
                "Output bytes queued beyond their write low-watermark now", none,
                EventBaseStats::outputBytesAboveWatermark));
        return List.copyOf(m);
    }

    private static List<MeterDef<ListenerStats>> listenerMeters() {
        List<MeterDef<ListenerStats>> m = new ArrayList<>();
        Tags none = Tags.empty();
        m.add(new MeterDef.Counter<>("loomevent.listener.accepted", null,
                "Connections the listener accepted", none, ListenerStats::accepted));
        m.add(new MeterDef.Counter<>("loomevent.listener.accept.errors", null,
                "Errors the listener met while accepting", none, ListenerStats::acceptErrors));
        m.add(new MeterDef.Counter<>("loomevent.listener.connections.closed", null,
                "Accepted connections closed", none, ListenerStats::connectionsClosed));
        m.add(new MeterDef.Level<>("loomevent.listener.connections.open", null,
                "Accepted connections open now", none, ListenerStats::connectionsOpen));
        for (Direction d : Direction.values()) {
            m.add(new MeterDef.Counter<>("loomevent.listener.io", BaseUnits.BYTES,
                    "Bytes read from or written to the accepted connections", Tags.of("direction", tagValue(d)),
                    d == Direction.READ ? ListenerStats::bytesRead : ListenerStats::bytesWritten));
        }
        return List.copyOf(m);
    }
}
