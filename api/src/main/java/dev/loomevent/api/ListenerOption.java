package dev.loomevent.api;

/**
 * Options of a {@link Listener}.
 * <p>libevent: {@code LEV_OPT_*}.
 * <p>Immutable.
 */
public enum ListenerOption {
    /** libevent: {@code LEV_OPT_CLOSE_ON_FREE}: freeing the listener closes its server socket. */
    CLOSE_ON_FREE,
    /** libevent: {@code LEV_OPT_REUSEABLE}: {@code SO_REUSEADDR}. */
    REUSEABLE,
    /** libevent: {@code LEV_OPT_REUSEABLE_PORT}: {@code SO_REUSEPORT} where the platform has it. */
    REUSEABLE_PORT,
    /** libevent: {@code LEV_OPT_DISABLED}: created disabled; {@link Listener#enable()} starts it. */
    DISABLED,
    /** libevent: {@code LEV_OPT_THREADSAFE}: accepted for ported code; listeners are always safe. */
    THREADSAFE,
    /**
     * libevent: {@code LEV_OPT_DEFERRED_ACCEPT} ({@code TCP_DEFER_ACCEPT}): the JDK cannot set it, so
     * it is accepted and has no effect.
     */
    DEFERRED_ACCEPT,
    /**
     * libevent: {@code LEV_OPT_BIND_IPV6ONLY} ({@code IPV6_V6ONLY}): the JDK offers no such option on
     * a {@code ServerSocketChannel}, so it is accepted and has no effect: an IPv6 wildcard listener
     * accepts IPv4 too where the system's default allows it.
     */
    BIND_IPV6ONLY
}
