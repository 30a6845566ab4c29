package dev.loomevent.api;

import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * How an {@link EventBase} is built.
 * <p>libevent: {@code struct event_config} plus {@code event_base_priority_init} and
 * {@code max_dispatch_callbacks}.
 * <p>Immutable; any thread, for every method.
 *
 * @param name                 the base's name: its callback thread's name and the {@code base} tag of its metrics
 * @param priorities           the number of priorities (1..256)
 * @param maxDispatchCallbacks how many callbacks one loop round runs before it looks for new activations
 * @param virtualCallbackThread whether {@link EventBase#start()} runs the loop on a virtual thread
 *                              (fastest hand-off from the I/O virtual threads) or a platform thread
 * @param errorHandler         receives every exception a callback throws; {@code null}: log to {@link System.Logger}
 */
public record EventBaseConfig(String name, int priorities, int maxDispatchCallbacks,
                              boolean virtualCallbackThread, BiConsumer<EventBase, Throwable> errorHandler) {

    /** The defaults: an automatic name, 1 priority, 64 callbacks a round, a virtual callback thread, logging. */
    public static final EventBaseConfig DEFAULT = new EventBaseConfig(null, 1, 64, true, null);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if {@code priorities} is not in 1..256 or {@code maxDispatchCallbacks < 1}
     */
    public EventBaseConfig {
        if (priorities < 1 || priorities > 256) {
            throw new IllegalArgumentException("priorities must be in 1..256, was " + priorities);
        }
        if (maxDispatchCallbacks < 1) {
            throw new IllegalArgumentException("maxDispatchCallbacks must be >= 1, was " + maxDispatchCallbacks);
        }
    }

    /** Returns a copy with {@code name} (not null). libevent has no counterpart: bases are unnamed there. */
    public EventBaseConfig withName(String name) {
        return new EventBaseConfig(Objects.requireNonNull(name, "name"), priorities, maxDispatchCallbacks, virtualCallbackThread, errorHandler);
    }

    /** Returns a copy with {@code priorities}. libevent: {@code event_base_priority_init} after creation. */
    public EventBaseConfig withPriorities(int priorities) {
        return new EventBaseConfig(name, priorities, maxDispatchCallbacks, virtualCallbackThread, errorHandler);
    }

    /**
     * Returns a copy with {@code maxDispatchCallbacks}. libevent: the {@code max_callbacks} of
     * {@code event_config_set_max_dispatch_interval}.
     */
    public EventBaseConfig withMaxDispatchCallbacks(int max) {
        return new EventBaseConfig(name, priorities, max, virtualCallbackThread, errorHandler);
    }

    /**
     * Returns a copy whose started loop runs on a virtual ({@code true}) or platform thread. libevent
     * has no counterpart: it starts no thread.
     */
    public EventBaseConfig withVirtualCallbackThread(boolean virtual) {
        return new EventBaseConfig(name, priorities, maxDispatchCallbacks, virtual, errorHandler);
    }

    /**
     * Returns a copy with {@code handler} receiving callback exceptions. libevent has no counterpart:
     * C callbacks cannot throw.
     */
    public EventBaseConfig withErrorHandler(BiConsumer<EventBase, Throwable> handler) {
        return new EventBaseConfig(name, priorities, maxDispatchCallbacks, virtualCallbackThread, handler);
    }
}
