package dev.loomevent.api;

/**
 * The POSIX signals an {@link EventBase} can turn into events.
 * <p>libevent: the signal numbers given to {@code evsignal_new}. The JVM owns the others
 * (SIGQUIT prints a thread dump, SIGKILL cannot be caught).
 * <p>Immutable.
 */
public enum Signal {
    /** SIGINT: interrupt from the terminal (Ctrl-C). */
    INT,
    /** SIGTERM: polite termination request. */
    TERM,
    /** SIGHUP: hang-up, by convention "reload". */
    HUP
}
