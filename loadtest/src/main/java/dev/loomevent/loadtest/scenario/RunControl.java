package dev.loomevent.loadtest.scenario;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every session of a run shares: whether to stop, the first failure, and how many sessions are
 * still active. The runner waits on it.
 * <p>Any thread. {@code lock} guards nothing but the condition {@code changed}, which wakes the
 * runner when the last session ends or a failure arrives.
 */
final class RunControl {
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Read by every session before it sends; written once by the runner or a failure. */
    private volatile boolean stopping;

    void sessionStarted() {
        active.incrementAndGet();
    }

    void sessionEnded() {
        if (active.decrementAndGet() == 0) {
            signal();
        }
    }

    int active() {
        return active.get();
    }

    boolean stopping() {
        return stopping;
    }

    void stop() {
        stopping = true;
    }

    /** Records the run's first failure and stops it. */
    void fail(Throwable t) {
        if (failure.compareAndSet(null, t)) {
            stopping = true;
            signal();
        }
    }

    Throwable failure() {
        return failure.get();
    }

    /** Waits up to {@code nanos} for the last session to end or a failure; returns early on either. */
    void await(long nanos) throws InterruptedException {
        lock.lock();
        try {
            if (nanos > 0 && active.get() > 0 && failure.get() == null) {
                changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} for no session to be active; returns whether none is. */
    boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        lock.lock();
        try {
            while (active.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
