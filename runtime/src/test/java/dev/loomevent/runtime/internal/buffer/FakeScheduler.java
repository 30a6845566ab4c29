package dev.loomevent.runtime.internal.buffer;

import dev.loomevent.runtime.internal.base.Activation;
import dev.loomevent.runtime.internal.base.CallbackScheduler;
import dev.loomevent.runtime.internal.stats.BaseCounters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** A scheduler whose deferred queue the test runs by hand; single-threaded. */
final class FakeScheduler implements CallbackScheduler {
    final ArrayDeque<Runnable> deferred = new ArrayDeque<>();
    final List<Throwable> errors = new ArrayList<>();

    /** Runs every deferred task queued so far, and those they queue. */
    int runDeferred() {
        int n = 0;
        Runnable r;
        while ((r = deferred.poll()) != null) {
            r.run();
            n++;
        }
        return n;
    }

    @Override
    public void activate(Activation activation) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void defer(Runnable task) {
        deferred.add(task);
    }

    @Override
    public boolean inCallbackThread() {
        return true;
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public BaseCounters counters() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void reportCallbackException(Throwable error) {
        errors.add(error);
    }

    @Override
    public void own(AutoCloseable resource) {
    }

    @Override
    public void disown(AutoCloseable resource) {
    }

    @Override
    public boolean isFreed() {
        return false;
    }
}
