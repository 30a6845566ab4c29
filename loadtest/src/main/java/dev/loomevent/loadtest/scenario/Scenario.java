package dev.loomevent.loadtest.scenario;

import java.util.Locale;

/**
 * The load shapes the harness can drive.
 * <p>Immutable.
 */
public enum Scenario {
    /** C connections, each sends a message and waits for its echo before the next: a closed loop. */
    PINGPONG("closed loop: each connection waits for its echo before sending again"),
    /** Messages at a fixed total rate whatever the server does; latency counts from the intended send time. */
    RATE("open loop at R msgs/s, latency from the intended send time (coordinated omission corrected)"),
    /** Each connection keeps a window of large messages in flight: echoed MB/s. */
    STREAM("continuous writes with a window of chunks in flight: echoed MB/s"),
    /** Connect, one exchange, close, again: connections per second. */
    CHURN("connect, one exchange, close: connections per second"),
    /** Hold N connections idle; the server's memory per connection. */
    IDLE("hold N idle connections: server memory per connection"),
    /** Pingpong, rate, stream, churn and idle connections at once. */
    MIXED("a blend: pingpong, open-loop rate, stream, churn and idle connections at once");

    private final String description;

    Scenario(String description) {
        this.description = description;
    }

    /** Returns what the scenario does, in one line. */
    public String description() {
        return description;
    }

    /** Returns the name used on the command line and in reports. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the scenario named {@code id}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public static Scenario of(String id) {
        for (Scenario s : values()) {
            if (s.id().equals(id.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + id + "' (pingpong, rate, stream, churn, idle, mixed)");
    }
}
