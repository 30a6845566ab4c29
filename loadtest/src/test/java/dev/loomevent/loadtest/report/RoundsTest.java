package dev.loomevent.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.loomevent.loadtest.JsonParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Paired per-round ratios and their medians, on hand-made runs whose figures are known. */
class RoundsTest {
    /** A pingpong run of {@code target}: {@code msgs} messages in 1 s, p99 about {@code p99Micros}, server at {@code cores}. */
    private static RunResult run(String target, long msgs, long p99Micros, double cores) {
        return run(target, msgs, p99Micros, cores, null);
    }

    private static RunResult run(String target, long msgs, long p99Micros, double cores, String failure) {
        Histogram h = new Histogram(3);
        for (int i = 0; i < 100; i++) {
            h.recordValue(p99Micros * 1000);
        }
        PartResult p = new PartResult("pingpong", msgs, msgs * 64, 1, 0, 1.0, h, List.of());
        return new RunResult(target, "test", "pingpong", Map.of(), Instant.EPOCH, "nio", 1, 1, false, 1,
                List.of(p), List.of(new CpuSample(1, false, 0.5, cores)), null, List.of(), failure);
    }

    /**
     * Three rounds in which the machine's speed changes 4x: the raw figures spread widely, the
     * ratios inside each round do not.
     */
    private static Rounds drifting() {
        List<List<RunResult>> rounds = new ArrayList<>();
        rounds.add(List.of(run("libevent", 100_000, 100, 1.0), run("loomevent", 90_000, 150, 1.0)));
        rounds.add(List.of(run("loomevent", 24_000, 600, 1.0), run("libevent", 25_000, 400, 1.0)));
        rounds.add(List.of(run("libevent", 50_000, 200, 1.0), run("loomevent", 55_000, 220, 1.0)));
        return new Rounds("libevent", rounds);
    }

    @Test
    void ratiosArePairedWithinEachRoundAndSummarisedByTheirMedian() {
        Rounds r = drifting();
        assertThat(r.targets()).containsExactly("libevent", "loomevent");
        assertThat(r.unit()).isEqualTo("msg/s");
        assertThat(r.values("loomevent")).containsExactly(90_000, 24_000, 55_000);
        assertThat(r.ratios("loomevent")).containsExactly(new double[] {0.9, 0.96, 1.1}, within(1e-9));
        assertThat(Rounds.median(r.ratios("loomevent"))).isCloseTo(0.96, within(1e-9));
        // An unpaired median of the raw figures would say 55,000 / 50,000 = 1.1x.
        assertThat(Rounds.median(r.values("loomevent")) / Rounds.median(r.values("libevent"))).isCloseTo(1.1, within(1e-9));
        assertThat(Rounds.median(r.p99Ratios("loomevent"))).isCloseTo(1.5, within(0.01));
        assertThat(r.cpuRatios("loomevent")).hasSize(3);
    }

    @Test
    void theRepresentativeRunIsTheMedianRound() {
        Rounds r = drifting();
        assertThat(Rounds.headline(r.representative("loomevent"))).isEqualTo(55_000);
        assertThat(Rounds.headline(r.representative("libevent"))).isEqualTo(50_000);
        Report report = Report.of("loadtest compare --rounds 3", r);
        assertThat(report.baseline()).isEqualTo("libevent");
        assertThat(report.runs()).extracting(RunResult::target).containsExactly("libevent", "loomevent");
    }

    @Test
    void aRunThatFailedInALaterRoundFailsTheReportAndIsNotAFigure() {
        List<List<RunResult>> rounds = new ArrayList<>();
        rounds.add(List.of(run("libevent", 100_000, 100, 1.0), run("loomevent", 90_000, 150, 1.0)));
        rounds.add(List.of(run("loomevent", 10, 150, 1.0, "payload integrity failure on message #3"), run("libevent", 99_000, 100, 1.0)));
        Rounds r = new Rounds("libevent", rounds);
        assertThat(r.values("loomevent")).containsExactly(90_000);
        assertThat(r.ratios("loomevent")).containsExactly(new double[] {0.9}, within(1e-9));
        Report report = Report.of("loadtest compare --rounds 2", r);
        assertThat(report.failed()).isTrue();
        assertThat(report.runs()).filteredOn(x -> x.target().equals("loomevent")).singleElement()
                .extracting(RunResult::failure).isEqualTo("payload integrity failure on message #3");
        assertThat(report.toJson()).contains("\"failed\": true");
        assertThat(HtmlReport.render(report)).contains("loomevent FAILED:");
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Rounds.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Rounds.median(new double[] {7})).isEqualTo(7);
        assertThat(Rounds.median(new double[0])).isNaN();
    }

    @Test
    void theTextAndJsonCarryTheMedianRatioAndItsSpread() {
        Report report = Report.of("loadtest compare --rounds 3", drifting());
        String text = SummaryTable.text(report);
        assertThat(text).contains("3 rounds").contains("0.96x (0.90-1.10)").contains("baseline")
                .contains("55,000 (24,000-90,000)");
        @SuppressWarnings("unchecked")
        Map<String, Object> rounds = (Map<String, Object>) ((Map<String, Object>) JsonParser.parse(report.toJson())).get("rounds");
        assertThat(rounds).containsEntry("count", 3.0).containsEntry("baseline", "libevent").containsEntry("unit", "msg/s");
        @SuppressWarnings("unchecked")
        Map<String, Object> loom = (Map<String, Object>) ((Map<String, Object>) rounds.get("targets")).get("loomevent");
        assertThat((Double) loom.get("medianRatio")).isCloseTo(0.96, within(1e-9));
        assertThat(HtmlReport.render(report)).contains("id=\"rounds\"").contains("0.96x");
    }
}
