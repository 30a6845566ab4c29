package dev.loomevent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * One row of a meter table: how to register one meter over a statistics source {@code S}. The
 * meter reads the source when the registry publishes (scrape); nothing runs when the engine records.
 * <p>Immutable.
 *
 * @param <S> the statistics type read, {@code EventBaseStats} or {@code ListenerStats}
 */
sealed interface MeterDef<S> {

    /** The meter's name. */
    String name();

    /** The tags this row adds beside the source's own tag ({@code kind}, {@code direction}). */
    Tags tags();

    /** Registers the meter reading {@code source}, with {@code sourceTags} and this row's tags. */
    Meter register(S source, Tags sourceTags, MeterRegistry registry);

    /** A monotonic count read through a {@link FunctionCounter}. {@code unit} may be null. */
    record Counter<S>(String name, String unit, String description, Tags tags, ToDoubleFunction<S> value)
            implements MeterDef<S> {
        @Override
        public Meter register(S source, Tags sourceTags, MeterRegistry registry) {
            return FunctionCounter.builder(name, source, value)
                    .baseUnit(unit)
                    .description(description)
                    .tags(sourceTags.and(tags))
                    .register(registry);
        }
    }

    /** A value read at the moment of the scrape through a {@link Gauge}. {@code unit} may be null. */
    record Level<S>(String name, String unit, String description, Tags tags, ToDoubleFunction<S> value)
            implements MeterDef<S> {
        @Override
        public Meter register(S source, Tags sourceTags, MeterRegistry registry) {
            // Strong: the binding, not the garbage collector, decides when the meter goes.
            return Gauge.builder(name, source, value)
                    .baseUnit(unit)
                    .description(description)
                    .tags(sourceTags.and(tags))
                    .strongReference(true)
                    .register(registry);
        }
    }

    /** A count and a total time in nanoseconds read through a {@link FunctionTimer}. */
    record Timing<S>(String name, String description, Tags tags, ToLongFunction<S> count,
                     ToDoubleFunction<S> totalNanos) implements MeterDef<S> {
        @Override
        public Meter register(S source, Tags sourceTags, MeterRegistry registry) {
            return FunctionTimer.builder(name, source, count, totalNanos, TimeUnit.NANOSECONDS)
                    .description(description)
                    .tags(sourceTags.and(tags))
                    .register(registry);
        }
    }
}
