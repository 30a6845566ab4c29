package dev.loomevent.runtime.internal.stats;

import dev.loomevent.api.Direction;
import dev.loomevent.api.stats.CallbackKind;
import dev.loomevent.api.stats.EventBaseStats;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The counters behind one base's {@link EventBaseStats}. Recording is a {@link LongAdder}
 * increment: no lock, no allocation, cheap from the many I/O virtual threads. Gauges are suppliers
 * that the base installs.
 * <p>Any thread.
 */
public final class BaseCounters implements EventBaseStats {
    private final String name;
    private final LongAdder[] callbacks = adders(CallbackKind.values().length);
    private final LongAdder[] callbackNanos = adders(CallbackKind.values().length);
    private final LongAdder activations = new LongAdder();
    private final LongAdder loopIterations = new LongAdder();
    private final LongAdder opened = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder highWatermarkNanos = new LongAdder();
    private final LongAdder[] timeouts = adders(2);
    private final LongAdder[] eofs = adders(2);
    private final LongAdder[] errors = adders(2);
    private final LongAdder callbackExceptions = new LongAdder();
    // Gauges, installed once by the owner; volatile so a scrape on another thread sees them.
    private volatile LongSupplier activationQueueDepth = () -> 0;
    private volatile LongSupplier deferredQueueDepth = () -> 0;
    private volatile LongSupplier pendingTimers = () -> 0;
    private volatile LongSupplier outputAboveWatermark = () -> 0;

    /** Creates counters for the base named {@code name}. */
    public BaseCounters(String name) {
        this.name = name;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    // ---- recording ----

    /** Records one callback of {@code kind} that ran for {@code nanos}. */
    public void callbackRan(CallbackKind kind, long nanos) {
        callbacks[kind.ordinal()].increment();
        callbackNanos[kind.ordinal()].add(nanos);
    }

    /**
     * Records {@code count} callbacks of {@code kind} that ran for {@code nanos} in all; the callback
     * thread adds up a run of callbacks and records it once, which keeps the hot loop cheap.
     */
    public void callbacksRan(CallbackKind kind, long count, long nanos) {
        callbacks[kind.ordinal()].add(count);
        callbackNanos[kind.ordinal()].add(nanos);
    }

    /** Records an exception thrown by a user callback. */
    public void callbackThrew() {
        callbackExceptions.increment();
    }

    /** Records an activation queued. */
    public void activationQueued() {
        activations.increment();
    }

    /** Records {@code n} activations queued; counted by the consumer so producers pay nothing. */
    public void activationsQueued(long n) {
        activations.add(n);
    }

    /** Records a loop round. */
    public void loopIteration() {
        loopIterations.increment();
    }

    /** Records a connection opened or adopted. */
    public void connectionOpened() {
        opened.increment();
    }

    /** Records a connection closed or freed. */
    public void connectionClosed() {
        closed.increment();
    }

    /** Records bytes read. */
    public void bytesRead(long n) {
        bytesRead.add(n);
    }

    /** Records bytes written. */
    public void bytesWritten(long n) {
        bytesWritten.add(n);
    }

    /** Records time a reader spent held at its read high-watermark. */
    public void heldAtHighWatermark(long nanos) {
        highWatermarkNanos.add(nanos);
    }

    /** Records a timeout in {@code d}. */
    public void timeout(Direction d) {
        timeouts[d.ordinal()].increment();
    }

    /** Records an EOF in {@code d}. */
    public void eof(Direction d) {
        eofs[d.ordinal()].increment();
    }

    /** Records an error in {@code d}. */
    public void error(Direction d) {
        errors[d.ordinal()].increment();
    }

    /** Installs the gauge of the activation queue's depth. */
    public void activationQueueDepthGauge(LongSupplier s) {
        activationQueueDepth = s;
    }

    /** Installs the gauge of the deferred queue's depth. */
    public void deferredQueueDepthGauge(LongSupplier s) {
        deferredQueueDepth = s;
    }

    /** Installs the gauge of pending timers. */
    public void pendingTimersGauge(LongSupplier s) {
        pendingTimers = s;
    }

    /** Installs the gauge of output bytes above the write low-watermark. */
    public void outputAboveWatermarkGauge(LongSupplier s) {
        outputAboveWatermark = s;
    }

    // ---- reading ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public long callbacksRun(CallbackKind kind) {
        return callbacks[kind.ordinal()].sum();
    }

    @Override
    public long callbackNanos(CallbackKind kind) {
        return callbackNanos[kind.ordinal()].sum();
    }

    @Override
    public long activationsQueued() {
        return activations.sum();
    }

    @Override
    public long activationQueueDepth() {
        return activationQueueDepth.getAsLong();
    }

    @Override
    public long deferredQueueDepth() {
        return deferredQueueDepth.getAsLong();
    }

    @Override
    public long loopIterations() {
        return loopIterations.sum();
    }

    @Override
    public long pendingTimers() {
        return pendingTimers.getAsLong();
    }

    @Override
    public long connectionsOpened() {
        return opened.sum();
    }

    @Override
    public long connectionsClosed() {
        return closed.sum();
    }

    @Override
    public long bytesRead() {
        return bytesRead.sum();
    }

    @Override
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    @Override
    public long readHighWatermarkNanos() {
        return highWatermarkNanos.sum();
    }

    @Override
    public long outputBytesAboveWatermark() {
        return outputAboveWatermark.getAsLong();
    }

    @Override
    public long timeouts(Direction direction) {
        return timeouts[direction.ordinal()].sum();
    }

    @Override
    public long eofs(Direction direction) {
        return eofs[direction.ordinal()].sum();
    }

    @Override
    public long errors(Direction direction) {
        return errors[direction.ordinal()].sum();
    }

    @Override
    public long callbackExceptions() {
        return callbackExceptions.sum();
    }

    @Override
    public String toString() {
        return "BaseCounters[" + name + "]";
    }
}
