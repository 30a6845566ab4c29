package dev.loomevent.metrics;

import dev.loomevent.api.Loomevent;
import dev.loomevent.api.stats.StatisticsRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Binds loomevent's statistics to a Micrometer registry: per event base (tag {@code base}) and per
 * listener (tag {@code listener}) counters, gauges and timers, added when a base or listener appears
 * and removed when it is freed, plus, by default, Micrometer's virtual-thread metrics
 * ({@code jvm.threads.virtual.*}, from JFR), so that carrier pinning shows up in production.
 * {@code docs/metrics.md} lists every meter with its type, base unit and tags.
 *
 * <pre>{@code
 * LoomeventMetrics metrics = new LoomeventMetrics();
 * metrics.bindTo(registry);
 * ...
 * metrics.close();   // before closing the registry, or when loomevent is no longer monitored
 * }</pre>
 *
 * <p>The engine records into lock-free counters ({@code LongAdder} or single-writer fields) whether
 * or not a binder is bound; the meters here are {@code FunctionCounter}s, {@code FunctionTimer}s and
 * {@code Gauge}s that read those counters when the registry publishes. Binding therefore adds no
 * lock and no allocation to the engine's hot path. Tags are bounded: one value per base or
 * listener, and the fixed values of {@code kind} and {@code direction}; never one per connection.
 * Every bufferevent counts into its base.
 *
 * <p>Close the binder when the application stops monitoring loomevent, and before it closes the
 * {@link MeterRegistry}: while bound, it observes the statistics registry (adding meters for every
 * new base) and keeps a JFR recording stream running for the virtual-thread metrics. {@link #close}
 * stops both and removes every meter it registered. Closing frees no base.
 *
 * <p>libevent has no counterpart; its closest is {@code event_base_dump_events}.
 * <p>Any thread; {@link #bindTo} and {@link #close} are serialized on an internal lock.
 */
public final class LoomeventMetrics implements MeterBinder, AutoCloseable {
    private final StatisticsRegistry statistics;
    private final Tags tags;
    private final boolean virtualThreadMetrics;

    // lock guards bindings, virtualThreads and closed.
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Binding> bindings = new ArrayList<>();
    private final List<VirtualThreadBinding> virtualThreads = new ArrayList<>();
    private boolean closed;

    /**
     * Binds the process-wide statistics ({@link Loomevent#statistics()}) with no extra tags, and
     * Micrometer's virtual-thread metrics. Any thread.
     */
    public LoomeventMetrics() {
        this(Loomevent.statistics(), Tags.empty(), true);
    }

    /**
     * Binds the process-wide statistics with {@code tags} added to every meter, and Micrometer's
     * virtual-thread metrics. Any thread.
     *
     * @param tags tags added to every meter, e.g. the application's name
     */
    public LoomeventMetrics(Iterable<Tag> tags) {
        this(Loomevent.statistics(), tags, true);
    }

    /**
     * Binds the statistics of {@code statistics}. Any thread.
     *
     * @param statistics           the statistics to read, usually {@link Loomevent#statistics()}
     * @param tags                 tags added to every meter
     * @param virtualThreadMetrics whether to bind Micrometer's {@code VirtualThreadMetrics} too
     *                             (one JFR recording stream per bound registry; skipped for a
     *                             registry that has them already)
     */
    public LoomeventMetrics(StatisticsRegistry statistics, Iterable<Tag> tags, boolean virtualThreadMetrics) {
        this.statistics = Objects.requireNonNull(statistics, "statistics");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        this.virtualThreadMetrics = virtualThreadMetrics;
    }

    /**
     * Registers the meters of every live base and listener in {@code registry}, and of every one
     * created later until {@link #close}. A binder may be bound to several registries; binding it
     * again to one it is bound to does nothing. Bind one binder per registry: two binders on one
     * registry (or on a composite and one of its children) would name the same base differently.
     *
     * @throws IllegalStateException if this binder is closed
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("LoomeventMetrics is closed; create a new one to bind " + registry);
            }
            for (Binding b : bindings) {
                if (b.registry() == registry) {
                    // Bound already: a second binding would give the same bases other '#n' tags,
                    // and two meters with one id are one meter in Micrometer.
                    return;
                }
            }
            if (virtualThreadMetrics) {
                VirtualThreadBinding vt = VirtualThreadBinding.bind(registry, tags);
                if (vt != null) {
                    virtualThreads.add(vt);
                }
            }
            Binding binding = new Binding(statistics, registry, tags);
            bindings.add(binding);
            binding.start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops observing the statistics, stops the virtual-thread metrics' JFR recording stream and
     * removes every meter this binder registered, from every registry it was bound to. Idempotent.
     * Any thread.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            bindings.forEach(Binding::close);
            virtualThreads.forEach(VirtualThreadBinding::close);
            bindings.clear();
            virtualThreads.clear();
        } finally {
            lock.unlock();
        }
    }
}
