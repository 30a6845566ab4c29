package dev.loomevent.runtime.internal.listener;

import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Links a channel a listener accepted to that listener's statistics until a socket bufferevent
 * adopts it, so that the bytes and the close of the connection count for the listener.
 * <p>Any thread. An accepted channel that the user closes without a bufferevent stays here until
 * its listener is freed (which forgets all of its channels) or until the map grows past
 * {@link #PURGE_AT} entries (then twice what stayed open), when closed channels are dropped.
 */
public final class AcceptedChannels {
    private static final Map<SocketChannel, ListenerStatsImpl> BY_CHANNEL = new ConcurrentHashMap<>();

    /** Entries after which a put drops the closed channels first. */
    static final int PURGE_AT = 4096;

    /** volatile: racy updates only move the next purge a little; any thread reads it. */
    private static volatile int purgeAt = PURGE_AT;

    private AcceptedChannels() {
    }

    static void put(SocketChannel channel, ListenerStatsImpl stats) {
        if (BY_CHANNEL.size() >= purgeAt) {
            BY_CHANNEL.keySet().removeIf(ch -> !ch.isOpen());
            // Open channels stay: purge again only after the map doubled, so accepts stay O(1) amortised.
            purgeAt = Math.max(PURGE_AT, 2 * BY_CHANNEL.size());
        }
        BY_CHANNEL.put(channel, stats);
    }

    static void forget(ListenerStatsImpl stats) {
        BY_CHANNEL.values().removeIf(s -> s == stats);
    }

    /** Removes and returns the statistics of the listener that accepted {@code channel}, or null. */
    public static ListenerStatsImpl claim(SocketChannel channel) {
        return BY_CHANNEL.isEmpty() ? null : BY_CHANNEL.remove(channel);
    }
}
