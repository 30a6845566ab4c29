package dev.loomevent.loadtest.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loomevent.loadtest.client.ClientTransports;
import dev.loomevent.loadtest.report.MeterSnapshot;
import dev.loomevent.loadtest.report.RunResult;
import dev.loomevent.loadtest.scenario.LoadRun;
import dev.loomevent.loadtest.scenario.ProgressListener;
import dev.loomevent.loadtest.scenario.Scenario;
import dev.loomevent.loadtest.scenario.ScenarioConfig;
import io.netty.channel.epoll.Epoll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The servers the harness ships, each under a short counted pingpong. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TargetsTest {
    @TempDir
    Path dir;

    private static RunResult pingpong(RunningTarget target) {
        ScenarioConfig c = ScenarioConfig.defaults(Scenario.PINGPONG).withConnections(4).withMessages(100)
                .withTime(Duration.ofSeconds(30), Duration.ZERO);
        return LoadRun.run(c, target, ClientTransports.create("socket", 256), ProgressListener.NONE);
    }

    private TargetOptions child() {
        return new TargetOptions(false, "", "64m", 1, -1, dir);
    }

    @Test
    void nettyNioEchoesInProcess() {
        try (RunningTarget t = Targets.start("netty", TargetOptions.inProcessDefaults())) {
            assertThat(t.name()).isEqualTo("netty-nio");
            RunResult r = pingpong(t);
            assertThat(r.failure()).isNull();
            assertThat(r.part("pingpong").messages()).isEqualTo(400);
        }
    }

    @Test
    void loomeventEchoesEverythingToAClientThatHalfCloses() throws Exception {
        try (RunningTarget t = Targets.start("loomevent", TargetOptions.inProcessDefaults());
             java.net.Socket s = new java.net.Socket(t.address().getAddress(), t.address().getPort())) {
            s.setSoTimeout(30_000);
            byte[] sent = new byte[4 << 20]; // more than the sockets hold: echoes are still queued at EOF
            new java.util.Random(3).nextBytes(sent);
            s.getOutputStream().write(sent);
            s.shutdownOutput(); // EOF at the server while echoes are still queued
            assertThat(s.getInputStream().readAllBytes()).isEqualTo(sent);
        }
    }

    @Test
    void loomeventEchoesInProcessAndItsMetersCountTheBytes() {
        try (RunningTarget t = Targets.start("loomevent", TargetOptions.inProcessDefaults())) {
            RunResult r = pingpong(t);
            assertThat(r.failure()).isNull();
            assertThat(r.part("pingpong").messages()).isEqualTo(400);
            assertThat(r.serverMetrics()).anySatisfy(m -> {
                assertThat(m.name()).isEqualTo("loomevent.io");
                assertThat(m.tags()).containsEntry("direction", "read");
                assertThat(m.measurements().get("COUNT")).isEqualTo(400.0 * 64);
            });
            assertThat(r.serverMetrics()).anySatisfy(m -> {
                assertThat(m.name()).isEqualTo("loomevent.connections.opened");
                assertThat(m.measurements().get("COUNT")).isEqualTo(4.0);
            });
        }
    }

    @Test
    void loomeventEchoesInAChildJvm() {
        try (RunningTarget t = Targets.start("loomevent", child())) {
            RunResult r = pingpong(t);
            assertThat(r.failure()).isNull();
            assertThat(r.part("pingpong").messages()).isEqualTo(400);
            assertThat(r.serverMetrics()).extracting(MeterSnapshot::name).contains("loomevent.io", "loomevent.callbacks");
        }
    }

    @Test
    void nettyEpollEchoesInProcess() {
        assumeTrue(Epoll.isAvailable(), "Netty's native epoll transport is not available here");
        try (RunningTarget t = Targets.start("netty-epoll", TargetOptions.inProcessDefaults())) {
            RunResult r = pingpong(t);
            assertThat(r.failure()).isNull();
            assertThat(r.part("pingpong").messages()).isEqualTo(400);
        }
    }

    @Test
    void aChildJvmServerEchoesReportsItsCpuAndSendsItsMeters() {
        try (RunningTarget t = Targets.start("java", child())) {
            assertThat(t.inProcess()).isFalse();
            assertThat(t.pid()).isPositive().isNotEqualTo(ProcessHandle.current().pid());
            RunResult r = pingpong(t);
            assertThat(r.failure()).isNull();
            assertThat(r.part("pingpong").messages()).isEqualTo(400);
            assertThat(r.serverMetrics()).extracting(MeterSnapshot::name).contains("loomevent.bases", "jvm.threads.live");
            assertThat(r.cpu()).allSatisfy(c -> assertThat(c.serverCores()).isGreaterThanOrEqualTo(0));
        }
    }

    @Test
    void theLibeventServerIsBuiltAndEchoes() {
        assumeTrue(Files.exists(Path.of("/usr/include/event2/bufferevent.h")), "libevent-dev is not installed");
        assumeTrue(java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "gcc"))), "gcc is not installed");
        try (RunningTarget t = Targets.start("libevent", child())) {
            RunResult r = pingpong(t);
            assertThat(r.failure()).isNull();
            assertThat(r.part("pingpong").messages()).isEqualTo(400);
            assertThat(r.serverMetrics()).isEmpty();
        }
    }

    @Test
    void externalTargetsNeedHostAndPort() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Targets.start("localhost:0", TargetOptions.inProcessDefaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..65535");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Targets.start("whatever", TargetOptions.inProcessDefaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port");
    }
}
