package dev.loomevent.api;

import java.util.List;

/**
 * N event bases, each with its own callback thread, so a service uses every core; connections are
 * spread over them. libevent leaves this to the user; it is what Netty's {@code EventLoopGroup} is.
 * None of its methods has a libevent counterpart.
 * <p>Any thread, for every method.
 */
public interface EventBaseGroup extends AutoCloseable {

    /** How a {@link Listener} bound to a group picks the base of each accepted connection. */
    enum Distribution {
        /** Each base in turn. */
        ROUND_ROBIN,
        /** The base with the fewest open connections. */
        FEWEST_CONNECTIONS
    }

    /** Creates and starts {@code Runtime.availableProcessors()} bases. Any thread. */
    static EventBaseGroup create() {
        return create(Runtime.getRuntime().availableProcessors(), EventBaseConfig.DEFAULT);
    }

    /**
     * Creates and starts {@code n} bases configured by {@code template} (named {@code <name>-<i>},
     * or {@code eventbase-group-<k>-<i>} when the template has no name). Any thread.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    static EventBaseGroup create(int n, EventBaseConfig template) {
        return ProviderHolder.provider().newEventBaseGroup(n, template);
    }

    /** Returns the bases, in a fixed order. */
    List<EventBase> bases();

    /**
     * Returns the next base by {@code distribution}, skipping bases that were freed (one of them
     * only when all were). Any thread.
     */
    EventBase next(Distribution distribution);

    /** Frees every base. */
    void free();

    /** Same as {@link #free()}. */
    @Override
    default void close() {
        free();
    }
}
