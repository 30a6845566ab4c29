package dev.loomevent.loadtest.scenario;

import dev.loomevent.loadtest.payload.MessageFormat;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one run does.
 * <p>Immutable.
 *
 * @param scenario          the load shape
 * @param connections       connections (pingpong, rate, stream, idle; churn: connections in flight;
 *                          mixed: its pingpong connections)
 * @param size              message size in bytes (stream: the chunk size)
 * @param duration          measured time; with {@code messages > 0} the longest the run may take
 * @param warmup            time before measuring (left out of the totals)
 * @param messages          messages per connection (churn: connections per worker), then stop; 0: run for {@code duration}
 * @param rate              total messages per second of the open loop (rate, mixed)
 * @param window            stream: chunks in flight per connection
 * @param idleConnections   mixed: idle connections held beside the load
 * @param drainTimeout      how long echoes still owed at the end may take before they count as lost
 * @param connectConcurrency how many connects may be in progress at once
 */
public record ScenarioConfig(Scenario scenario, int connections, int size, Duration duration, Duration warmup,
                             long messages, double rate, int window, int idleConnections, Duration drainTimeout,
                             int connectConcurrency) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the first bad value
     */
    public ScenarioConfig {
        require(connections >= 1, "connections must be >= 1, was " + connections);
        require(size >= MessageFormat.MIN_SIZE, "size must be >= " + MessageFormat.MIN_SIZE + " bytes, was " + size);
        require(!duration.isNegative(), "duration must not be negative, was " + duration);
        require(!warmup.isNegative(), "warmup must not be negative, was " + warmup);
        require(messages >= 0, "messages must be >= 0, was " + messages);
        require(messages > 0 || !duration.isZero(), "give a duration or a message count");
        require(rate > 0 || (scenario != Scenario.RATE && scenario != Scenario.MIXED), "rate must be > 0, was " + rate);
        require(window >= 1, "window must be >= 1, was " + window);
        require(idleConnections >= 0, "idleConnections must be >= 0, was " + idleConnections);
        require(connectConcurrency >= 1, "connectConcurrency must be >= 1, was " + connectConcurrency);
    }

    /** Returns the defaults of {@code scenario}: 10 s after 2 s of warm-up, 64-byte messages (stream: 16 KiB). */
    public static ScenarioConfig defaults(Scenario scenario) {
        int conns = switch (scenario) {
            case PINGPONG, RATE -> 100;
            case STREAM -> 10;
            case CHURN -> 32;
            case IDLE -> 1000;
            case MIXED -> 32;
        };
        return new ScenarioConfig(scenario, conns, scenario == Scenario.STREAM ? 16384 : 64, Duration.ofSeconds(10),
                Duration.ofSeconds(2), 0, 10_000, 4, 200, Duration.ofSeconds(10), 128);
    }

    /** Returns a copy with {@code connections}. */
    public ScenarioConfig withConnections(int n) {
        return new ScenarioConfig(scenario, n, size, duration, warmup, messages, rate, window, idleConnections, drainTimeout, connectConcurrency);
    }

    /** Returns a copy with {@code size}. */
    public ScenarioConfig withSize(int bytes) {
        return new ScenarioConfig(scenario, connections, bytes, duration, warmup, messages, rate, window, idleConnections, drainTimeout, connectConcurrency);
    }

    /** Returns a copy with {@code duration} and {@code warmup}. */
    public ScenarioConfig withTime(Duration measured, Duration warm) {
        return new ScenarioConfig(scenario, connections, size, measured, warm, messages, rate, window, idleConnections, drainTimeout, connectConcurrency);
    }

    /** Returns a copy with {@code messages} per connection. */
    public ScenarioConfig withMessages(long n) {
        return new ScenarioConfig(scenario, connections, size, duration, warmup, n, rate, window, idleConnections, drainTimeout, connectConcurrency);
    }

    /** Returns a copy with {@code rate} messages per second. */
    public ScenarioConfig withRate(double perSecond) {
        return new ScenarioConfig(scenario, connections, size, duration, warmup, messages, perSecond, window, idleConnections, drainTimeout, connectConcurrency);
    }

    /** Returns a copy with {@code window} chunks in flight. */
    public ScenarioConfig withWindow(int chunks) {
        return new ScenarioConfig(scenario, connections, size, duration, warmup, messages, rate, chunks, idleConnections, drainTimeout, connectConcurrency);
    }

    /** Returns a copy holding {@code n} idle connections (mixed). */
    public ScenarioConfig withIdleConnections(int n) {
        return new ScenarioConfig(scenario, connections, size, duration, warmup, messages, rate, window, n, drainTimeout, connectConcurrency);
    }

    /** Returns a copy with {@code timeout} to drain. */
    public ScenarioConfig withDrainTimeout(Duration timeout) {
        return new ScenarioConfig(scenario, connections, size, duration, warmup, messages, rate, window, idleConnections, timeout, connectConcurrency);
    }

    /** Returns whether the run ends after a message count rather than a duration. */
    public boolean counted() {
        return messages > 0;
    }

    /** Returns the options that matter for this scenario, for reports. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario.id());
        m.put("connections", connections);
        m.put("sizeBytes", size);
        m.put("durationSeconds", duration.toMillis() / 1e3);
        m.put("warmupSeconds", warmup.toMillis() / 1e3);
        if (messages > 0) {
            m.put("messagesPerConnection", messages);
        }
        if (scenario == Scenario.RATE || scenario == Scenario.MIXED) {
            m.put("ratePerSecond", rate);
        }
        if (scenario == Scenario.STREAM || scenario == Scenario.MIXED) {
            m.put("windowChunks", window);
        }
        if (scenario == Scenario.MIXED) {
            m.put("idleConnections", idleConnections);
        }
        return m;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
