package dev.loomevent.runtime.internal.base;

import dev.loomevent.api.Ev;
import dev.loomevent.api.Event;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.EventCallback;
import dev.loomevent.api.LoopFlag;
import dev.loomevent.api.Signal;
import dev.loomevent.api.stats.CallbackKind;
import dev.loomevent.api.stats.EventBaseStats;
import dev.loomevent.runtime.internal.stats.BaseCounters;
import dev.loomevent.runtime.internal.stats.OutputBacklog;
import dev.loomevent.runtime.internal.stats.Registry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

/**
 * The runtime's {@link EventBase}: the loop that turns activations into callbacks on one thread.
 * <p>Any thread for the public methods; the fields marked "callback thread only" belong to the thread
 * that runs the loop ({@link #loopThread}).
 * <pre>
 *   other threads ──offer──► inbox (MPSC) ─┐
 *                      timerSyncs (MPSC) ──┼─ drained at the start of each round
 *   callback thread ──────────────────────►│
 *                                          ▼
 *        active[priority] (ArrayDeque) ◄── due timers (TimerHeap), later (deferred from callbacks)
 *                                          │ the most urgent non-empty priority, at most
 *                                          ▼ maxDispatchCallbacks per round
 *                                     user callbacks
 * </pre>
 * <p>Waking: the loop sets {@link #sleeping} and re-checks its queues before it parks; a producer
 * that queues work reads {@code sleeping} and unparks only if it wins the CAS that clears it. So an
 * idle base is woken once per burst (the empty to non-empty edge) and a busy base, which never sets
 * the flag, costs producers one volatile read and no unpark.
 * <p>Memory consistency effects: the queues publish safely, so actions of a thread before it
 * activates something happen-before the callback runs.
 */
public final class EventBaseImpl implements EventBase, CallbackScheduler {
    private static final System.Logger LOG = System.getLogger("dev.loomevent.EventBase");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** The bases whose loop runs now, by loop thread: {@link #current()} without a ThreadLocal. */
    private static final ConcurrentHashMap<Thread, EventBaseImpl> RUNNING = new ConcurrentHashMap<>();
    private static final int MAX_PRIORITIES = 256;
    private static final int DRAIN_LIMIT = 4096;
    private static final long FREE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String name;
    private final EventBaseConfig config;
    private final BaseCounters counters;
    private final MpscUnboundedAtomicArrayQueue<Activation> inbox = new MpscUnboundedAtomicArrayQueue<>(1024);
    /** Set once the freed base released its queues: from then on producers discard what they offer. */
    private volatile boolean inboxClosed;
    /** The inbox's consumer once the loop is gone (see {@link #discardInbox()}). */
    private final ReentrantLock discardLock = new ReentrantLock();
    private final MpscUnboundedAtomicArrayQueue<TimerNode> timerSyncs = new MpscUnboundedAtomicArrayQueue<>(256);
    private final Set<AutoCloseable> owned = ConcurrentHashMap.newKeySet();
    private final Set<EventImpl> events = ConcurrentHashMap.newKeySet();
    private final AtomicInteger signalEvents = new AtomicInteger();

    /** Guards the loop's ownership ({@link #running}, {@link #loopThread}) and {@link #loopEnded}. */
    private final ReentrantLock loopLock = new ReentrantLock();
    /** Signalled when a loop run ends; free() waits on it. */
    private final Condition loopEnded = loopLock.newCondition();
    // guarded by loopLock
    private boolean running;
    // written under loopLock; volatile: producers read it to unpark it, inCallbackThread() compares it.
    private volatile Thread loopThread;
    // volatile: the started thread, joined by free().
    private volatile Thread startedThread;

    // volatile: set by the loop before it parks, cleared by the producer that wakes it (CAS).
    private final AtomicBoolean sleeping = new AtomicBoolean();
    /** This base's request to the {@link LoopAlarm}, used while a virtual thread runs the loop. */
    private final LoopAlarm.Entry alarm = new LoopAlarm.Entry();
    /** Callback thread only: the deadline last asked of the alarm, if {@link #alarmSet}. */
    private long alarmAt;
    private boolean alarmSet;
    // volatile: set by any thread, read by the loop between callbacks.
    private volatile boolean breakFlag;
    // volatile: set on the callback thread by the loopexit event, read by gotExit() anywhere.
    private volatile boolean exitFlag;
    private final AtomicBoolean freed = new AtomicBoolean();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    // volatile: free() called from a callback leaves the clean-up to the loop's end.
    private volatile boolean freedOnCallbackThread;
    // volatile: priorityInit may run on any thread while the loop is idle.
    private volatile int npriorities;
    // volatile: published once per round for cachedNanoTime() and nanoTime() on other threads.
    private volatile long cachedNanos;

    // ---- callback thread only ----
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final ArrayDeque<Activation>[] active = new ArrayDeque[MAX_PRIORITIES];
    private int activeCount;
    private final ArrayDeque<Activation> later = new ArrayDeque<>();
    private final TimerHeap timers = new TimerHeap();
    private int runningPriority = Integer.MAX_VALUE;
    private boolean continueFlag;
    // activations queued since the last flush to the counters
    private long queuedCount;
    private final MessagePassingQueue.Consumer<Activation> toActive = this::enqueueActive;
    private final MessagePassingQueue.Consumer<TimerNode> toTimers = this::timerSync;
    // published once per round for the gauges
    private volatile int activeSnapshot;
    private volatile int pendingTimersSnapshot;
    private volatile int deferredSnapshot;
    // How often the loop parked and how often a producer unparked it: the benchmarks' evidence that a
    // busy base does not park per activation. Touched only on those (already slow) paths.
    private final LongAdder parks = new LongAdder();
    private final LongAdder unparks = new LongAdder();
    // volatile: the user event (EventImpl) whose fire() runs now (callback thread writes, any thread reads).
    private volatile Activation runningActivation;
    /** Guards {@link #runningWaiters}; {@link #runningDone} is signalled when a waited-for run ends. */
    private final ReentrantLock runningLock = new ReentrantLock();
    private final Condition runningDone = runningLock.newCondition();
    // written under runningLock; volatile: the callback thread reads it after each run without the lock.
    private volatile int runningWaiters;

    /**
     * Creates a base configured by {@code config} and registers its statistics. Any thread.
     *
     * @throws NullPointerException if {@code config} is null
     */
    public EventBaseImpl(EventBaseConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.name = config.name() != null ? config.name() : "eventbase-" + SEQUENCE.incrementAndGet();
        this.npriorities = config.priorities();
        this.counters = new BaseCounters(name);
        this.cachedNanos = System.nanoTime();
        counters.activationQueueDepthGauge(() -> inbox.size() + activeSnapshot);
        counters.deferredQueueDepthGauge(() -> deferredSnapshot);
        counters.pendingTimersGauge(() -> pendingTimersSnapshot);
        counters.outputAboveWatermarkGauge(this::outputBacklog);
        Registry.INSTANCE.addBase(counters);
    }

    /** Sums what the owned bufferevents queue beyond their write low-watermarks; read at scrape time only. */
    private long outputBacklog() {
        long sum = 0;
        for (AutoCloseable r : owned) {
            if (r instanceof OutputBacklog b) {
                sum += b.outputBytesAboveWatermark();
            }
        }
        return sum;
    }

    /** Returns the base whose loop runs on the calling thread, or null. Any thread. */
    public static EventBaseImpl current() {
        return RUNNING.get(Thread.currentThread());
    }

    @Override
    public String name() {
        return name;
    }

    /** Returns the configuration the base was created with. Any thread. */
    public EventBaseConfig config() {
        return config;
    }

    // ================================================================ loop

    @Override
    public int dispatch() {
        return loop(Set.of());
    }

    @Override
    public int loop(Set<LoopFlag> flags) {
        Objects.requireNonNull(flags, "flags");
        if (!claimLoop(Thread.currentThread())) {
            return -1;
        }
        return runLoop(flags);
    }

    @Override
    public void start() {
        Thread.Builder builder = config.virtualCallbackThread()
                ? Thread.ofVirtual().name(name)
                : Thread.ofPlatform().name(name).daemon(true);
        Thread t = builder.unstarted(() -> runLoop(Set.of(LoopFlag.NO_EXIT_ON_EMPTY)));
        loopLock.lock();
        try {
            if (freed.get()) {
                throw new IllegalStateException("base " + name + " was freed");
            }
            if (running) {
                throw new IllegalStateException("the loop of base " + name + " already runs on " + loopThread);
            }
            claimLocked(t);
            startedThread = t;
        } finally {
            loopLock.unlock();
        }
        try {
            t.start();
        } catch (RuntimeException | Error e) {
            releaseLoop(t);
            throw e;
        }
    }

    private boolean claimLoop(Thread t) {
        loopLock.lock();
        try {
            if (running || freed.get()) {
                return false;
            }
            claimLocked(t);
            return true;
        } finally {
            loopLock.unlock();
        }
    }

    private void releaseLoop(Thread t) {
        if (alarmSet) {
            // The thread goes back to its owner (or ends): no late unpark from the alarm.
            alarmSet = false;
            LoopAlarm.get().cancel(alarm);
        }
        loopLock.lock();
        try {
            running = false;
            loopThread = null;
            if (startedThread == t) {
                startedThread = null;
            }
            loopEnded.signalAll();
        } finally {
            loopLock.unlock();
        }
    }

    /** libevent resets got_exit/got_break when a loop starts; done here, before start() returns. */
    private void claimLocked(Thread t) {
        running = true;
        breakFlag = false;
        exitFlag = false;
        loopThread = t;
    }

    private int runLoop(Set<LoopFlag> flags) {
        boolean once = flags.contains(LoopFlag.ONCE);
        boolean nonblock = flags.contains(LoopFlag.NONBLOCK);
        boolean noExitOnEmpty = flags.contains(LoopFlag.NO_EXIT_ON_EMPTY);
        Thread self = Thread.currentThread();
        RUNNING.put(self, this);
        int ret = 0;
        try {
            while (true) {
                if (freed.get()) {
                    ret = -1;
                    break;
                }
                if (breakFlag || exitFlag) {
                    break;
                }
                if (self.isInterrupted()) {
                    // An interrupted thread's park returns at once: looping on would spin. Java's
                    // way to ask a task to stop; the status stays set for the caller.
                    break;
                }
                long now = System.nanoTime();
                cachedNanos = now;
                drainQueues();
                if (!noExitOnEmpty && !haveEvents() && activeCount == 0) {
                    ret = 1;
                    break;
                }
                if (activeCount == 0 && !nonblock) {
                    waitForWork(now, noExitOnEmpty);
                    now = System.nanoTime();
                    cachedNanos = now;
                    drainQueues();
                }
                runDueTimers(now);
                counters.loopIteration();
                if (activeCount > 0) {
                    int n = runActive();
                    // libevent counts "active later" (deferred) callbacks as active here too
                    if (once && activeCount == 0 && later.isEmpty() && n != 0) {
                        break;
                    }
                } else if (nonblock) {
                    break;
                }
                publishGauges();
            }
        } finally {
            flushQueuedCount();
            publishGauges();
            RUNNING.remove(self, this);
            releaseLoop(self);
            if (freed.get() && freedOnCallbackThread) {
                cleanUp();
            }
        }
        return ret;
    }

    private void publishGauges() {
        activeSnapshot = activeCount;
        deferredSnapshot = later.size();
        pendingTimersSnapshot = timers.size();
    }

    /** libevent's event_haveevents: something could still make a callback run. */
    private boolean haveEvents() {
        return !timers.isEmpty() || !later.isEmpty() || signalEvents.get() > 0 || !owned.isEmpty()
                || !inbox.isEmpty() || !timerSyncs.isEmpty();
    }

    private void drainQueues() {
        // All timer changes first, unbounded: a due timer still waiting here would expire out of order.
        int synced;
        do {
            synced = timerSyncs.drain(toTimers, DRAIN_LIMIT);
        } while (synced == DRAIN_LIMIT);
        while (!later.isEmpty()) {
            enqueueActive(later.poll());
        }
        queuedCount += inbox.drain(toActive, DRAIN_LIMIT);
        flushQueuedCount();
    }

    /**
     * Parks until work may have arrived or the first timer is due. With {@code noExitOnEmpty} false
     * it does not park on a base left without events (dispatch() then returns 1).
     */
    private void waitForWork(long now, boolean noExitOnEmpty) {
        TimerNode first = timers.peek();
        long waitNanos = first == null ? -1 : first.key - now;
        if (first != null && waitNanos <= 0) {
            return;
        }
        // A timed park of a virtual thread wakes the JDK's timer thread every time; a virtual loop
        // parks untimed and asks the alarm, only when the first deadline moved earlier or the last
        // request is due (a run that ends cancels its request, so a run on another thread asks anew).
        boolean alarmed = waitNanos >= 0 && Thread.currentThread().isVirtual();
        if (alarmed) {
            // Before 'sleeping' is published: set() may park on the alarm's lock, and a park there
            // would swallow a producer's unpark.
            long deadline = first.key;
            if (!alarmSet || deadline - alarmAt < 0 || alarmAt - now <= 0) {
                alarmSet = true;
                alarmAt = deadline;
                LoopAlarm.get().set(alarm, Thread.currentThread(), deadline);
            }
        }
        sleeping.set(true);
        // Re-check after publishing 'sleeping': a producer that queued before it saw false and did not unpark.
        // haveEvents() too: a disown() or the removal of the last signal event that saw the loop
        // awake must not leave dispatch() parked on an empty base.
        if (inbox.isEmpty() && timerSyncs.isEmpty() && !breakFlag && !freed.get() && (noExitOnEmpty || haveEvents())) {
            parks.increment();
            if (waitNanos < 0 || alarmed) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, waitNanos);
            }
        }
        sleeping.set(false);
    }

    /** Unparks the loop if it sleeps; one producer of a burst wins. Any thread. */
    private void wake() {
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            Thread t = loopThread;
            if (t != null) {
                unparks.increment();
                LockSupport.unpark(t);
            }
        }
    }

    /** Returns this base's request to the {@link LoopAlarm} (tests). Any thread. */
    LoopAlarm.Entry alarmEntry() {
        return alarm;
    }

    /** Returns how often the loop parked for lack of work. Any thread. */
    long parkCount() {
        return parks.sum();
    }

    /** Returns how often a producer unparked the sleeping loop. Any thread. */
    long unparkCount() {
        return unparks.sum();
    }

    private void runDueTimers(long now) {
        TimerNode n;
        while ((n = timers.peek()) != null && n.key - now <= 0) {
            long d = n.deadline();
            if (n.state() == TimerNode.ARMED && d - now > 0) {
                timers.changeKey(n, d);
                // An arm() that read the old key took its fast path; its earlier deadline shows here.
                long again = n.deadline();
                if (again - d < 0) {
                    timers.changeKey(n, again);
                }
                continue;
            }
            timers.remove(n);
            if (n.expireIfDue(now)) {
                try {
                    n.expired(now);
                } catch (RuntimeException | Error e) {
                    reportCallbackException(e);
                }
            }
        }
    }

    /** Runs the most urgent non-empty priority, at most maxDispatchCallbacks; libevent's event_process_active. */
    private int runActive() {
        int n = npriorities;
        for (int p = 0; p < n; p++) {
            ArrayDeque<Activation> q = active[p];
            if (q != null && !q.isEmpty()) {
                return runQueue(q, p);
            }
        }
        return 0;
    }

    private int runQueue(ArrayDeque<Activation> q, int priority) {
        int max = config.maxDispatchCallbacks();
        int count = 0;
        runningPriority = priority;
        continueFlag = false;
        // Callbacks are timed in runs of one kind: one clock read per run, not per callback.
        CallbackKind runKind = null;
        int runCount = 0;
        long t0 = System.nanoTime();
        try {
            Activation a;
            while (count < max && (a = q.poll()) != null) {
                activeCount--;
                CallbackKind kind = a.kind();
                if (kind != runKind) {
                    if (runCount > 0) {
                        long t1 = System.nanoTime();
                        counters.callbacksRan(runKind, runCount, t1 - t0);
                        t0 = t1;
                    }
                    runKind = kind;
                    runCount = 0;
                }
                a.clearQueued();
                // Only user events are waited for (Event.del/free); the bufferevents' activations
                // skip the two fenced stores.
                boolean tracked = a instanceof EventImpl;
                if (tracked) {
                    runningActivation = a;
                }
                try {
                    a.fire();
                } catch (Throwable e) {
                    reportCallbackException(e);
                } finally {
                    if (tracked) {
                        runningActivation = null;
                        if (runningWaiters > 0) {
                            signalRunEnded();
                        }
                    }
                }
                runCount++;
                count++;
                if (breakFlag || continueFlag) {
                    break;
                }
            }
        } finally {
            runningPriority = Integer.MAX_VALUE;
            if (runCount > 0) {
                counters.callbacksRan(runKind, runCount, System.nanoTime() - t0);
            }
            flushQueuedCount();
        }
        return count;
    }

    private void signalRunEnded() {
        runningLock.lock();
        try {
            runningDone.signalAll();
        } finally {
            runningLock.unlock();
        }
    }

    /**
     * Waits until {@code a} is not running on the callback thread; returns at once on the callback
     * thread itself. libevent's event_del waits so for a callback running in another thread
     * (base->current_event_cond). The waiter's volatile count is written before it reads
     * {@link #runningActivation}, and the loop clears that before it reads the count, so one of the
     * two sees the other. Any thread; an interrupt ends the wait early, its status kept.
     */
    void awaitNotRunning(Activation a) {
        if (runningActivation != a || inCallbackThread()) {
            return;
        }
        runningLock.lock();
        try {
            runningWaiters++;
            boolean interrupted = false;
            try {
                while (runningActivation == a && !interrupted) {
                    try {
                        runningDone.await();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                runningWaiters--;
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            runningLock.unlock();
        }
    }

    private void flushQueuedCount() {
        if (queuedCount > 0) {
            counters.activationsQueued(queuedCount);
            queuedCount = 0;
        }
    }

    /** Callback thread: puts an activation into its priority's active queue. */
    private void enqueueActive(Activation a) {
        int p = a.priority();
        int n = npriorities;
        if (p >= n) {
            p = n - 1;
        } else if (p < 0) {
            p = 0;
        }
        ArrayDeque<Activation> q = active[p];
        if (q == null) {
            q = new ArrayDeque<>();
            active[p] = q;
        }
        q.add(a);
        activeCount++;
        if (p < runningPriority && runningPriority != Integer.MAX_VALUE) {
            // libevent's event_continue: a more urgent callback became active; restart the round.
            continueFlag = true;
        }
    }

    // ================================================================ scheduler contract

    @Override
    public void activate(Activation activation) {
        if (freed.get()) {
            discard(activation);
            return;
        }
        if (!activation.markQueued()) {
            return;
        }
        if (inCallbackThread()) {
            queuedCount++;
            enqueueActive(activation);
        } else {
            inbox.offer(activation);
            wake();
            if (inboxClosed) {
                // free() released the queues after this caller saw the base alive; nobody else
                // will take what was just offered.
                discardInbox();
            }
        }
    }

    /** Drops {@code a} for good: its {@link Activation#discarded()} runs. Any thread. */
    private static void discard(Activation a) {
        try {
            a.discarded();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "releasing a callback dropped by a freed event base threw", t);
        }
    }

    /**
     * Discards everything in the inbox. The inbox has one consumer: the loop while it runs, and
     * after {@link #cleanUp()} whoever holds {@link #discardLock}.
     */
    private void discardInbox() {
        discardLock.lock();
        try {
            Activation a;
            while ((a = inbox.poll()) != null) {
                discard(a);
            }
        } finally {
            discardLock.unlock();
        }
    }

    @Override
    public void defer(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (freed.get()) {
            return;
        }
        Deferred d = new Deferred(npriorities / 2, task);
        d.markQueued();
        if (inCallbackThread()) {
            queuedCount++;
            later.add(d);
        } else {
            inbox.offer(d);
            wake();
        }
    }

    private static final class Deferred extends Activation {
        private final Runnable task;

        Deferred(int priority, Runnable task) {
            super(priority, CallbackKind.DEFERRED);
            this.task = task;
        }

        @Override
        protected void fire() {
            task.run();
        }
    }

    @Override
    public boolean inCallbackThread() {
        return loopThread == Thread.currentThread();
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delayNanos must be >= 0, was " + delayNanos);
        }
        ScheduledTimer t = new ScheduledTimer(this, npriorities / 2, task);
        t.arm(nanoTime() + delayNanos);
        return t;
    }

    @Override
    public RearmableTimer newTimer(Runnable task) {
        return new ScheduledTimer(this, npriorities / 2, Objects.requireNonNull(task, "task"));
    }

    /** Callback thread: brings the heap in line with the node's state. */
    void timerSync(TimerNode n) {
        n.clearSyncRequest();
        if (freed.get()) {
            return;
        }
        if (n.state() == TimerNode.ARMED) {
            long d = n.deadline();
            if (!n.inHeap) {
                timers.add(n, d);
            } else if (d - n.key < 0) {
                timers.changeKey(n, d);
            }
        } else if (n.inHeap) {
            timers.remove(n);
        }
    }

    /** Any thread but the callback thread: queues a heap sync for the callback thread. */
    void offerTimerSync(TimerNode n) {
        timerSyncs.offer(n);
        wake();
    }

    @Override
    public long nanoTime() {
        return inCallbackThread() ? cachedNanos : System.nanoTime();
    }

    @Override
    public long cachedNanoTime() {
        return cachedNanos;
    }

    @Override
    public BaseCounters counters() {
        return counters;
    }

    @Override
    public EventBaseStats stats() {
        return counters;
    }

    @Override
    public void reportCallbackException(Throwable error) {
        counters.callbackThrew();
        var handler = config.errorHandler();
        if (handler != null) {
            try {
                handler.accept(this, error);
                return;
            } catch (Throwable e) {
                error.addSuppressed(e);
            }
        }
        LOG.log(System.Logger.Level.WARNING, "a callback of event base " + name + " threw", error);
    }

    @Override
    public void own(AutoCloseable resource) {
        Objects.requireNonNull(resource, "resource");
        owned.add(resource);
    }

    @Override
    public void disown(AutoCloseable resource) {
        if (owned.remove(resource) && owned.isEmpty()) {
            // a dispatch() kept alive only by this resource may now return 1
            wake();
        }
    }

    @Override
    public boolean isFreed() {
        return freed.get();
    }

    // ================================================================ events

    @Override
    public void loopExit(Duration delay) {
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        if (freed.get()) {
            return;
        }
        // libevent: event_base_loopexit is an event_base_once whose callback sets the exit flag.
        once(Ev.TIMEOUT, delay, (e, what, arg) -> exitFlag = true, null);
    }

    @Override
    public void loopBreak() {
        breakFlag = true;
        wake();
    }

    @Override
    public boolean gotExit() {
        return exitFlag;
    }

    @Override
    public boolean gotBreak() {
        return breakFlag && !freed.get();
    }

    @Override
    public void priorityInit(int n) {
        if (n < 1 || n > MAX_PRIORITIES) {
            throw new IllegalArgumentException("priorities must be in 1.." + MAX_PRIORITIES + ", was " + n);
        }
        loopLock.lock();
        try {
            boolean mayTouch = !running || inCallbackThread();
            if (!mayTouch || activeSnapshot > 0 || activeCount > 0 || !inbox.isEmpty()) {
                throw new IllegalStateException("priorityInit(" + n + ") of base " + name + " while an event is active");
            }
            npriorities = n;
        } finally {
            loopLock.unlock();
        }
    }

    @Override
    public int priorities() {
        return npriorities;
    }

    @Override
    public Event newEvent(int what, EventCallback callback, Object arg) {
        Objects.requireNonNull(callback, "callback");
        if ((what & ~(Ev.TIMEOUT | Ev.PERSIST)) != 0) {
            throw new IllegalArgumentException("what may hold only Ev.TIMEOUT and Ev.PERSIST, was 0x" + Integer.toHexString(what));
        }
        return register(new EventImpl(this, what, null, callback, arg, false));
    }

    @Override
    public Event newSignal(Signal signal, EventCallback callback, Object arg) {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(callback, "callback");
        SignalHub.check(signal);
        return register(new EventImpl(this, Ev.PERSIST, signal, callback, arg, false));
    }

    @Override
    public void once(int what, Duration timeout, EventCallback callback, Object arg) {
        Objects.requireNonNull(callback, "callback");
        if ((what & ~Ev.TIMEOUT) != 0) {
            throw new IllegalArgumentException("what may hold only Ev.TIMEOUT, was 0x" + Integer.toHexString(what));
        }
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        EventImpl e = register(new EventImpl(this, Ev.TIMEOUT, null, callback, arg, true));
        if (timeout == null || timeout.isZero()) {
            // libevent activates a zero-timeout once event at once: fast and order-preserving.
            e.active(Ev.TIMEOUT);
        } else {
            e.add(timeout);
        }
    }

    private EventImpl register(EventImpl e) {
        if (freed.get()) {
            throw new IllegalStateException("base " + name + " was freed");
        }
        events.add(e);
        return e;
    }

    void forget(EventImpl e) {
        events.remove(e);
    }

    void signalEventAdded() {
        signalEvents.incrementAndGet();
    }

    void signalEventRemoved() {
        if (signalEvents.decrementAndGet() == 0) {
            wake();
        }
    }

    @Override
    public void execute(Runnable task) {
        defer(task);
    }

    // ================================================================ free

    @Override
    public void free() {
        if (!freed.compareAndSet(false, true)) {
            return;
        }
        breakFlag = true;
        if (inCallbackThread()) {
            freedOnCallbackThread = true;
            return;
        }
        Thread started = startedThread;
        wakeUnconditionally();
        long deadline = System.nanoTime() + FREE_WAIT_NANOS;
        awaitLoopEnd(deadline);
        if (started != null) {
            joinQuietly(started, deadline);
        }
        cleanUp();
    }

    private static void joinQuietly(Thread t, long deadline) {
        try {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Duration.ofNanos(left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void wakeUnconditionally() {
        sleeping.set(false);
        Thread t = loopThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void awaitLoopEnd(long deadline) {
        loopLock.lock();
        try {
            while (running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.log(System.Logger.Level.WARNING, "event base " + name
                            + ": a callback did not return within 5 s of free(); freeing its resources anyway");
                    return;
                }
                loopEnded.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            loopLock.unlock();
        }
    }

    private void cleanUp() {
        if (!cleaned.compareAndSet(false, true)) {
            return;
        }
        LoopAlarm.get().cancel(alarm);
        List<AutoCloseable> resources = new ArrayList<>(owned);
        owned.clear();
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Throwable e) {
                reportCallbackException(e);
            }
        }
        for (EventImpl e : new ArrayList<>(events)) {
            e.freeByBase();
        }
        events.clear();
        // The loop has ended (or is stuck in a callback past the wait); the queues are dropped, each
        // activation told so. 'inboxClosed' goes up before the inbox is emptied: a producer that
        // offers after this emptying then sees it and empties the inbox itself (activate()).
        timerSyncs.clear();
        inboxClosed = true;
        discardInbox();
        timers.clear();
        later.forEach(EventBaseImpl::discard);
        later.clear();
        for (int p = 0; p < MAX_PRIORITIES; p++) {
            if (active[p] != null) {
                active[p].forEach(EventBaseImpl::discard);
                active[p].clear();
            }
        }
        activeCount = 0;
        publishGauges();
        Registry.INSTANCE.removeBase(counters);
    }

    @Override
    public String toString() {
        return "EventBase[" + name + "]";
    }
}
