package dev.loomevent.api;

/**
 * The event flags of libevent's {@code event.h}, with their C values, for {@link Event}s and
 * {@link EventCallback}s.
 * <p>Immutable.
 */
public final class Ev {
    /** libevent: {@code EV_TIMEOUT}: the event's timeout expired. */
    public static final int TIMEOUT = 0x01;
    /** libevent: {@code EV_READ}. */
    public static final int READ = 0x02;
    /** libevent: {@code EV_WRITE}. */
    public static final int WRITE = 0x04;
    /** libevent: {@code EV_SIGNAL}: a signal event. */
    public static final int SIGNAL = 0x08;
    /** libevent: {@code EV_PERSIST}: the event stays pending after it fires. */
    public static final int PERSIST = 0x10;

    private Ev() {
    }
}
