package dev.loomevent.runtime.internal.base;

import dev.loomevent.api.Signal;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The process-wide link between the JVM's signal handling ({@code sun.misc.Signal}) and the signal
 * events of every base. While at least one signal event of a signal is pending, this hub's handler is
 * installed for it; when the last one is deleted or freed, the handler that was there before
 * (normally the JVM's own: SIGINT, SIGTERM and SIGHUP run the shutdown hooks and exit) is restored.
 * <p>The JVM runs a handler on a thread of its own. The handler here only ORs {@code EV_SIGNAL} into
 * each pending event and queues its activation (coalesced), so no user code runs on that thread.
 * <p>Any thread; installation and removal are guarded by {@link #LOCK}.
 */
final class SignalHub {
    /** Guards {@link #ENTRIES} and the installed handlers. */
    private static final ReentrantLock LOCK = new ReentrantLock();
    // guarded by LOCK
    private static final Map<Signal, Entry> ENTRIES = new EnumMap<>(Signal.class);

    private SignalHub() {
    }

    private static final class Entry implements sun.misc.SignalHandler {
        final sun.misc.Signal jvmSignal;
        // copy-on-write: the JVM's handler thread iterates while bases add and remove events.
        final CopyOnWriteArraySet<EventImpl> events = new CopyOnWriteArraySet<>();
        // guarded by LOCK
        sun.misc.SignalHandler previous;

        Entry(Signal signal) {
            this.jvmSignal = new sun.misc.Signal(signal.name());
        }

        @Override
        public void handle(sun.misc.Signal sig) {
            for (EventImpl e : events) {
                e.signalled();
            }
        }
    }

    /**
     * Checks that the JVM lets {@code signal} be handled.
     *
     * @throws UnsupportedOperationException if it does not (e.g. the JVM runs with {@code -Xrs})
     */
    static void check(Signal signal) {
        LOCK.lock();
        try {
            if (ENTRIES.containsKey(signal) && !ENTRIES.get(signal).events.isEmpty()) {
                return;
            }
            Entry probe = new Entry(signal);
            sun.misc.SignalHandler previous = install(probe, signal);
            sun.misc.Signal.handle(probe.jvmSignal, previous);
        } finally {
            LOCK.unlock();
        }
    }

    static void add(Signal signal, EventImpl event) {
        LOCK.lock();
        try {
            Entry e = ENTRIES.computeIfAbsent(signal, Entry::new);
            if (e.events.isEmpty()) {
                e.previous = install(e, signal);
            }
            e.events.add(event);
        } finally {
            LOCK.unlock();
        }
    }

    static void remove(Signal signal, EventImpl event) {
        LOCK.lock();
        try {
            Entry e = ENTRIES.get(signal);
            if (e != null && e.events.remove(event) && e.events.isEmpty()) {
                sun.misc.Signal.handle(e.jvmSignal, e.previous);
                e.previous = null;
            }
        } finally {
            LOCK.unlock();
        }
    }

    private static sun.misc.SignalHandler install(Entry e, Signal signal) {
        try {
            return sun.misc.Signal.handle(e.jvmSignal, e);
        } catch (IllegalArgumentException | UnsupportedOperationException ex) {
            throw new UnsupportedOperationException("the JVM does not let SIG" + signal + " be handled: " + ex.getMessage(), ex);
        }
    }
}
