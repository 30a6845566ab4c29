package dev.loomevent.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.loadtest.client.ClientTransports;
import dev.loomevent.loadtest.report.PartResult;
import dev.loomevent.loadtest.report.RunResult;
import dev.loomevent.loadtest.target.CorruptingEchoServer;
import dev.loomevent.loadtest.target.JavaEchoServer;
import dev.loomevent.loadtest.target.RunningTarget;
import dev.loomevent.loadtest.target.StallingEchoServer;
import dev.loomevent.loadtest.target.Targets;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each scenario against an in-process echo server, with small counts, over both client transports. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScenarioTest {
    private RunningTarget target;

    @BeforeEach
    void startServer() {
        target = Targets.of("java", new JavaEchoServer(new InetSocketAddress("127.0.0.1", 0)));
    }

    @AfterEach
    void stopServer() {
        target.close();
    }

    static ScenarioConfig counted(Scenario s, int connections, long messages) {
        return ScenarioConfig.defaults(s).withConnections(connections).withMessages(messages)
                .withTime(Duration.ofSeconds(30), Duration.ZERO).withDrainTimeout(Duration.ofSeconds(10));
    }

    static RunResult run(ScenarioConfig config, RunningTarget target) {
        return run(config, target, "socket");
    }

    static RunResult run(ScenarioConfig config, RunningTarget target, String client) {
        int size = config.scenario() == Scenario.MIXED ? 16384 : config.size();
        return LoadRun.run(config, target, ClientTransports.create(client, ClientTransports.readBufferFor(size)),
                ProgressListener.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "socket", "loomevent"})
    void pingpongEchoesEveryMessageOfEveryConnection(String client) {
        RunResult r = run(counted(Scenario.PINGPONG, 8, 250), target, client);
        assertThat(r.failure()).isNull();
        PartResult p = r.part("pingpong");
        assertThat(p.messages()).isEqualTo(8 * 250);
        assertThat(p.bytes()).isEqualTo(8 * 250 * 64);
        assertThat(p.connects()).isEqualTo(8);
        assertThat(p.latency().getTotalCount()).isEqualTo(8 * 250);
        assertThat(p.errors()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "socket", "loomevent"})
    void openLoopSendsTheGivenCountAtTheGivenRate(String client) {
        RunResult r = run(counted(Scenario.RATE, 4, 100).withRate(4000), target, client);
        assertThat(r.failure()).isNull();
        assertThat(r.part("rate").messages()).isEqualTo(400);
        assertThat(r.part("rate").latency().getTotalCount()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "socket", "loomevent"})
    void streamEchoesEveryChunk(String client) {
        RunResult r = run(counted(Scenario.STREAM, 3, 40).withSize(16384).withWindow(4), target, client);
        assertThat(r.failure()).isNull();
        assertThat(r.part("stream").messages()).isEqualTo(120);
        assertThat(r.part("stream").bytes()).isEqualTo(120L * 16384);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "socket", "loomevent"})
    void churnOpensOneConnectionPerExchange(String client) {
        RunResult r = run(counted(Scenario.CHURN, 4, 25), target, client);
        assertThat(r.failure()).isNull();
        PartResult p = r.part("churn");
        assertThat(p.connects()).isEqualTo(100);
        assertThat(p.messages()).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "socket", "loomevent"})
    void idleHoldsItsConnectionsAndMeasuresTheServersMemory(String client) {
        ScenarioConfig c = ScenarioConfig.defaults(Scenario.IDLE).withConnections(50)
                .withTime(Duration.ofMillis(200), Duration.ZERO);
        RunResult r = run(c, target, client);
        assertThat(r.failure()).isNull();
        PartResult p = r.part("idle");
        assertThat(p.connects()).isZero(); // connected during the set-up, before the measured hold
        assertThat(p.timeline().stream().mapToLong(s -> s.connects()).sum()).isEqualTo(50);
        assertThat(p.timeline().stream().mapToLong(s -> s.messages()).sum()).isEqualTo(50);
        assertThat(r.memory()).isNotNull();
        assertThat(r.memory().connections()).isEqualTo(50);
        assertThat(r.memory().rssAfterKb()).isPositive();
        assertThat(r.memory().heapAfterKb()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "socket", "loomevent"})
    void mixedRunsEveryPartAtOnce(String client) {
        ScenarioConfig c = counted(Scenario.MIXED, 4, 30).withRate(2000).withIdleConnections(10);
        RunResult r = run(c, target, client);
        assertThat(r.failure()).isNull();
        assertThat(r.parts()).extracting(PartResult::name).containsExactly("pingpong", "rate", "stream", "churn", "idle");
        assertThat(r.part("pingpong").messages()).isEqualTo(4 * 30);
        assertThat(r.part("rate").messages()).isEqualTo(1 * 30);
        assertThat(r.part("stream").messages()).isEqualTo(2 * 30);
        assertThat(r.part("stream").bytes()).isEqualTo(2 * 30 * 16384L);
        assertThat(r.part("churn").connects()).isEqualTo(2 * 30);
        assertThat(r.part("idle").connects()).isEqualTo(10);
    }


    @ParameterizedTest
    @ValueSource(strings = {"nio", "socket", "loomevent"})
    void aCorruptedByteFailsTheRunLoudly(String client) {
        try (var bad = new CorruptingEchoServer(1000)) {
            RunResult r = run(counted(Scenario.PINGPONG, 2, 100), Targets.of("corrupt", bad), client);
            assertThat(r.failure()).contains("payload integrity failure").contains("first wrong byte");
        }
    }

    /** An echo server that closes the connection on the first message it gets, after echoing it if {@code echoFirst}. */
    private static JavaEchoServer closingServer(boolean echoFirst) {
        return new JavaEchoServer(new InetSocketAddress("127.0.0.1", 0)) {
            @Override
            protected void echo(java.nio.channels.SocketChannel ch, java.nio.ByteBuffer data) throws java.io.IOException {
                if (echoFirst) {
                    super.echo(ch, data);
                }
                ch.close();
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "socket", "loomevent"})
    void aServerThatDropsAConnectionWithEchoesOwedFailsTheRun(String client) {
        try (var dropper = closingServer(false)) {
            RunResult r = run(counted(Scenario.PINGPONG, 1, 10), Targets.of("dropper", dropper), client);
            assertThat(r.failure()).contains("not echoed").contains("data lost");
        }
    }

    /**
     * A server that echoes and then closes: between two open-loop messages nothing is owed, and
     * the run used to pass with most messages never sent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "socket", "loomevent"})
    void aServerThatClosesAfterAnEchoFailsAnOpenLoopRun(String client) {
        try (var closer = closingServer(true)) {
            RunResult r = run(counted(Scenario.RATE, 2, 20).withRate(50), Targets.of("closer", closer), client);
            assertThat(r.failure()).contains("was closed by the server");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "socket", "loomevent"})
    void noServerMeansAFailedRun(String client) throws Exception {
        InetSocketAddress closed;
        try (var s = java.nio.channels.ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            closed = (InetSocketAddress) s.getLocalAddress();
        }
        RunResult r = run(counted(Scenario.PINGPONG, 2, 10), Targets.start("127.0.0.1:" + closed.getPort(),
                dev.loomevent.loadtest.target.TargetOptions.inProcessDefaults()), client);
        assertThat(r.failure()).contains("no connection");
    }

    /**
     * The open loop charges a stall to every message that queued behind it: latency counts from the
     * intended send time. A closed loop would record the stall once; here the largest latency is at
     * least the stall (less one send period: the first message due after the stall began), and every
     * message due in the first half of the stall waited at least half of it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "socket", "loomevent"})
    void openLoopLatencyIncludesQueueingBehindAStall(String client) {
        double rate = 2000;
        try (var staller = new StallingEchoServer(new CountDownLatch(1), 200)) {
            RunResult r = run(counted(Scenario.RATE, 1, 1200).withRate(rate), Targets.of("staller", staller), client);
            assertThat(r.failure()).isNull();
            long stall = staller.stallNanos();
            assertThat(stall).isPositive();
            var latency = r.part("rate").latency();
            long period = (long) (1e9 / rate);
            assertThat(latency.getMaxValue()).isGreaterThanOrEqualTo(stall - period);
            long delayed = latency.getCountBetweenValues(stall / 2, latency.getMaxValue());
            assertThat(delayed).isGreaterThanOrEqualTo((long) (rate * stall / 1e9 / 4));
        }
    }
}
