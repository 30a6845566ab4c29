package dev.loomevent.runtime.internal.base;

import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes virtual loop threads at their next timer's deadline, so that an idle virtual loop can park
 * without a timeout.
 * <p>Why: a timed park of a virtual thread ({@code LockSupport.parkNanos}) schedules, and on an
 * early wake-up cancels, a task with the JDK's own timer thread, and on JDK 25 that wakes the timer
 * thread on every park: a futex signal and an OS context switch each time the loop goes idle. A
 * busy socket base goes idle thousands of times a second with a timer almost always pending (every
 * idle writer arms one), so that cost showed up as a fifth of a churning server's CPU. The deadline
 * of a base's first timer rarely moves earlier (idle timers are re-armed into the future), so this
 * alarm is told about it only when it does, and the loop otherwise parks untimed.
 * <p>One daemon platform thread for the whole JVM, started on first use, at most one entry per base.
 * A wake that comes too early or too late for the loop's current state is harmless: the loop
 * re-reads its timers after every park. Any thread.
 */
final class LoopAlarm {
    private static final LoopAlarm INSTANCE = new LoopAlarm();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock; nanoTime deadlines compare by difference (they may wrap)
    private final PriorityQueue<Entry> queue =
            new PriorityQueue<>((a, b) -> Long.signum(a.deadline - b.deadline));
    // guarded by lock
    private Thread thread;

    private LoopAlarm() {
    }

    static LoopAlarm get() {
        return INSTANCE;
    }

    /**
     * Asks for {@code entry.loop} to be unparked at {@code deadline} (a {@link System#nanoTime()}
     * value), replacing the entry's earlier request. Any thread.
     */
    void set(Entry entry, Thread loop, long deadline) {
        lock.lock();
        try {
            if (entry.queued) {
                queue.remove(entry);
            }
            entry.deadline = deadline;
            entry.loop = loop;
            entry.queued = true;
            queue.add(entry);
            if (thread == null || !thread.isAlive()) {
                // No inherited thread-locals or class loader: the thread outlives whoever first used it.
                Thread t = Thread.ofPlatform().daemon().name("loomevent-loop-alarm")
                        .inheritInheritableThreadLocals(false).unstarted(this::run);
                t.setContextClassLoader(null);
                thread = t;
                t.start();
            } else if (queue.peek() == entry) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the entry's request (its base is freed). Any thread. */
    void cancel(Entry entry) {
        lock.lock();
        try {
            if (entry.queued) {
                queue.remove(entry);
                entry.queued = false;
                entry.loop = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        lock.lock();
        try {
            while (true) {
                Entry first = queue.peek();
                if (first == null) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                long wait = first.deadline - System.nanoTime();
                if (wait > 0) {
                    try {
                        changed.awaitNanos(wait);
                    } catch (InterruptedException e) {
                        // Nobody should interrupt this thread; it keeps serving the loops that rely on it.
                    }
                    continue;
                }
                queue.poll();
                first.queued = false;
                Thread t = first.loop;
                first.loop = null;
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        } finally {
            // Only an Error ends the loop above; the next set() starts a new thread (it checks
            // isAlive), and the loops wait at most until their next wake-up from a producer.
            thread = null;
            lock.unlock();
        }
    }

    /** Returns the lock guarding the queue (tests hold it to stall {@link #set}). */
    ReentrantLock lockForTests() {
        return lock;
    }

    /** Returns whether the entry's request waits to fire. Any thread. */
    boolean pending(Entry entry) {
        lock.lock();
        try {
            return entry.queued;
        } finally {
            lock.unlock();
        }
    }

    /** One base's request; its fields are guarded by the alarm's lock. */
    static final class Entry {
        long deadline;
        Thread loop;
        boolean queued;
    }
}
