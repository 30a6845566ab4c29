package dev.loomevent.metrics;

import dev.loomevent.api.Direction;
import dev.loomevent.api.stats.CallbackKind;
import dev.loomevent.api.stats.EventBaseStats;
import dev.loomevent.api.stats.ListenerStats;
import dev.loomevent.api.stats.StatisticsRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A statistics registry whose bases and listeners report values the test sets.
 * <p>Any thread.
 */
final class FakeStatistics implements StatisticsRegistry {
    final List<EventBaseStats> bases = new CopyOnWriteArrayList<>();
    final List<ListenerStats> listeners = new CopyOnWriteArrayList<>();
    final List<Observer> observers = new CopyOnWriteArrayList<>();

    @Override
    public List<EventBaseStats> bases() {
        return List.copyOf(bases);
    }

    @Override
    public List<ListenerStats> listeners() {
        return List.copyOf(listeners);
    }

    @Override
    public AutoCloseable observe(Observer observer) {
        observers.add(observer);
        bases.forEach(observer::baseAdded);
        listeners.forEach(observer::listenerAdded);
        return () -> observers.remove(observer);
    }

    Base addBase(String name) {
        Base b = new Base(name);
        bases.add(b);
        observers.forEach(o -> o.baseAdded(b));
        return b;
    }

    void removeBase(EventBaseStats b) {
        if (bases.remove(b)) {
            observers.forEach(o -> o.baseRemoved(b));
        }
    }

    Listener addListener(String name) {
        Listener l = new Listener(name);
        listeners.add(l);
        observers.forEach(o -> o.listenerAdded(l));
        return l;
    }

    void removeListener(ListenerStats l) {
        if (listeners.remove(l)) {
            observers.forEach(o -> o.listenerRemoved(l));
        }
    }

    /** A base whose every statistic is a plain field; the test writes, the meters read. */
    static final class Base implements EventBaseStats {
        final String name;
        final long[] callbacks = new long[CallbackKind.values().length];
        final long[] callbackNanos = new long[CallbackKind.values().length];
        final long[] timeouts = new long[Direction.values().length];
        final long[] eofs = new long[Direction.values().length];
        final long[] errors = new long[Direction.values().length];
        volatile long activationsQueued;
        volatile long activationQueueDepth;
        volatile long deferredQueueDepth;
        volatile long loopIterations;
        volatile long pendingTimers;
        volatile long opened;
        volatile long closed;
        volatile long bytesRead;
        volatile long bytesWritten;
        volatile long highWatermarkNanos;
        volatile long outputAboveWatermark;
        volatile long callbackExceptions;

        Base(String name) {
            this.name = name;
        }

        @Override public String name() { return name; }
        @Override public long callbacksRun(CallbackKind kind) { return callbacks[kind.ordinal()]; }
        @Override public long callbackNanos(CallbackKind kind) { return callbackNanos[kind.ordinal()]; }
        @Override public long activationsQueued() { return activationsQueued; }
        @Override public long activationQueueDepth() { return activationQueueDepth; }
        @Override public long deferredQueueDepth() { return deferredQueueDepth; }
        @Override public long loopIterations() { return loopIterations; }
        @Override public long pendingTimers() { return pendingTimers; }
        @Override public long connectionsOpened() { return opened; }
        @Override public long connectionsClosed() { return closed; }
        @Override public long bytesRead() { return bytesRead; }
        @Override public long bytesWritten() { return bytesWritten; }
        @Override public long readHighWatermarkNanos() { return highWatermarkNanos; }
        @Override public long outputBytesAboveWatermark() { return outputAboveWatermark; }
        @Override public long timeouts(Direction d) { return timeouts[d.ordinal()]; }
        @Override public long eofs(Direction d) { return eofs[d.ordinal()]; }
        @Override public long errors(Direction d) { return errors[d.ordinal()]; }
        @Override public long callbackExceptions() { return callbackExceptions; }
    }

    /** A listener whose every statistic is a plain field. */
    static final class Listener implements ListenerStats {
        final String name;
        volatile long accepted;
        volatile long acceptErrors;
        volatile long closed;
        volatile long bytesRead;
        volatile long bytesWritten;

        Listener(String name) {
            this.name = name;
        }

        @Override public String name() { return name; }
        @Override public long accepted() { return accepted; }
        @Override public long acceptErrors() { return acceptErrors; }
        @Override public long connectionsClosed() { return closed; }
        @Override public long bytesRead() { return bytesRead; }
        @Override public long bytesWritten() { return bytesWritten; }
    }
}
