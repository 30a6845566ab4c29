package dev.loomevent.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** CPU figures of a run: means over the measured intervals, weighted by their lengths. */
class RunResultTest {
    private static RunResult withCpu(List<CpuSample> cpu) {
        PartResult p = new PartResult("pingpong", 1000, 64_000, 1, 0, 2.0, new Histogram(3), List.of());
        return new RunResult("t", "test", "pingpong", Map.of(), Instant.EPOCH, "nio", 1, 1, false, 1,
                List.of(p), cpu, null, List.of(), null);
    }

    @Test
    void aShortDrainIntervalDoesNotOutweighWholeSeconds() {
        // One second of warm-up, two measured seconds at 30%, then a 3 ms drain that reads 400%.
        RunResult r = withCpu(List.of(new CpuSample(1.0, true, 0.9, 0.9), new CpuSample(2.0, false, 0.3, 0.5),
                new CpuSample(3.0, false, 0.3, 0.5), new CpuSample(3.003, false, 4.0, 0)));
        assertThat(r.clientCores()).isCloseTo((0.3 + 0.3 + 4.0 * 0.003) / 2.003, within(1e-9));
        assertThat(r.clientBound()).isFalse();
        assertThat(r.serverCores()).isCloseTo((0.5 + 0.5) / 2.003, within(1e-9));
        assertThat(r.serverCpuMicrosPerMessage()).isCloseTo(r.serverCores() * 2.0 * 1e6 / 1000, within(1e-6));
    }

    @Test
    void anUnknownServerStaysUnknownAndNoSampleMeansNoClientCpu() {
        RunResult r = withCpu(List.of(new CpuSample(1.0, false, 0.5, -1), new CpuSample(2.0, false, 0.7, -1)));
        assertThat(r.serverCores()).isEqualTo(-1);
        assertThat(r.serverCpuMicrosPerMessage()).isEqualTo(-1);
        assertThat(r.clientCores()).isCloseTo(0.6, within(1e-9));
        assertThat(withCpu(List.of()).clientCores()).isZero();
        assertThat(withCpu(List.of(new CpuSample(1.0, true, 0.5, 0.5))).serverCores()).isEqualTo(-1);
    }
}
