package dev.loomevent.loadtest.target;

import dev.loomevent.metrics.LoomeventMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The Micrometer registry of a server the harness runs: loomevent's binder
 * ({@link LoomeventMetrics}) and the JVM's memory, GC, thread and CPU meters.
 * <p>Any thread.
 */
public final class ServerMetrics implements AutoCloseable {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final LoomeventMetrics loomevent = new LoomeventMetrics();

    /** Creates the registry and binds the meters. */
    public ServerMetrics() {
        loomevent.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** Returns the registry. */
    public SimpleMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        loomevent.close();
        gc.close();
        registry.close();
    }
}
