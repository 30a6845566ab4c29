package dev.loomevent.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.loadtest.target.CorruptingEchoServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MainTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void helpDescribesTheHarness() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: loadtest").contains("pingpong").contains("compare").contains("demo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pingpong", "rate", "stream", "churn", "idle", "mixed", "compare", "demo", "serve"})
    void everyCommandHasHelp(String command) {
        assertThat(run(command, "--help")).isZero();
        assertThat(out.toString()).contains("Usage: loadtest " + command).contains("--help");
    }

    @Test
    void compareWarmsUpLongerByDefaultButKeepsWhatTheUserGave() {
        RunOptions none = new RunOptions();
        Main.Compare.applyDefaults(none);
        assertThat(none.warmup).isEqualTo(java.time.Duration.ofSeconds(10));
        RunOptions given = new RunOptions();
        given.warmup = java.time.Duration.ofMillis(500);
        Main.Compare.applyDefaults(given);
        assertThat(given.warmup).isEqualTo(java.time.Duration.ofMillis(500));
        RunOptions counted = new RunOptions();
        counted.messages = 100L;
        Main.Compare.applyDefaults(counted);
        assertThat(counted.warmup).isNull();
        assertThat(run("compare", "--help")).isZero();
        assertThat(out.toString()).contains("compare: 10s");
    }

    @Test
    void aScenarioCommandPrintsTheSummaryAndWritesBothReports() throws IOException {
        int rc = run("pingpong", "--target", "java", "--in-process", "-c", "3", "-n", "100", "-o", dir.toString(), "--no-progress");
        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).contains("pingpong").contains("HTML report: ").contains("JSON report: ");
        assertThat(files("json")).hasSize(1);
        assertThat(files("html")).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) JsonParser.parse(Files.readString(files("json").get(0)));
        assertThat(root).containsEntry("failed", false);
    }

    @Test
    void theDemoRunsAMixedLoadAndNamesItsReport() throws IOException {
        int rc = run("demo", "--target", "java", "--in-process", "-d", "1s", "-w", "0s", "--idle", "10", "-c", "2",
                "-o", dir.toString(), "--no-progress");
        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).contains("loomevent demo").contains("stream").contains("churn").contains("idle")
                .contains("HTML report: " + dir.toAbsolutePath());
        assertThat(files("html")).hasSize(1);
    }

    @Test
    void theDefaultDemoRunsLoomeventsEchoServer() throws IOException {
        int rc = run("demo", "--in-process", "-d", "1s", "-w", "0s", "--idle", "10", "-c", "2", "--client", "loomevent",
                "-o", dir.toString(), "--no-progress");
        assertThat(rc).as(err.toString()).isZero();
        assertThat(err.toString()).doesNotContain("no loomevent engine");
        assertThat(out.toString()).contains("a loomevent echo server").contains("client loomevent");
        assertThat(Files.readString(files("html").get(0))).contains("loomevent.io");
    }

    @Test
    void aCorruptingServerMakesTheCommandFailWithAClearMessage() throws IOException {
        try (var bad = new CorruptingEchoServer(70)) {
            int rc = run("pingpong", "--target", "127.0.0.1:" + bad.address().getPort(), "-c", "1", "-n", "20",
                    "-o", dir.toString(), "--no-progress");
            assertThat(rc).isEqualTo(1);
            assertThat(err.toString()).contains("LOAD TEST FAILED").contains("payload integrity failure")
                    .contains("message #1");
            assertThat(Files.readString(files("json").get(0))).contains("\"failed\": true");
        }
    }

    @Test
    void compareInRoundsKeepsTheServersAndRotatesTheOrder() throws IOException {
        int rc = run("compare", "--targets", "java,netty-nio", "--in-process", "-c", "2", "-n", "50", "--rounds", "2",
                "-o", dir.toString(), "--no-progress");
        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).contains("round 1 of 2").contains("round 2 of 2").contains("2 rounds")
                .contains("ratios are to java in the same round");
        @SuppressWarnings("unchecked")
        Map<String, Object> rounds = (Map<String, Object>) ((Map<String, Object>) JsonParser.parse(
                Files.readString(files("json").get(0)))).get("rounds");
        assertThat(rounds.get("order")).isEqualTo(List.of(List.of("java", "netty-nio"), List.of("netty-nio", "java")));
    }

    @Test
    void roundsMustBePositiveAndNeedALoadScenario() {
        assertThat(run("compare", "--rounds", "0", "-o", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--rounds must be >= 1, was 0");
        assertThat(run("compare", "--scenario", "idle", "--rounds", "3", "-o", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--rounds needs pingpong, rate, stream or churn, not idle");
        assertThat(run("compare", "--targets", "java,java", "--rounds", "2", "-o", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--rounds needs distinct targets, got java,java");
    }

    @Test
    void anUnknownTargetIsASetupError() {
        assertThat(run("pingpong", "--target", "nonsense", "-n", "1", "-o", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("nonsense");
    }

    private List<Path> files(String ext) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith("." + ext)).toList();
        }
    }
}
