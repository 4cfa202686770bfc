package app.confab.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import app.confab.support.PrometheusText;

import static org.assertj.core.api.Assertions.assertThat;

/** The load tool's gates (exit code) and its Prometheus text output, on a report with known figures. */
class LoadGateTest {

    private static Report report(long expected, long received, double p99) {
        Report report = new Report("seed");
        report.put("Deliveries expected", expected);
        report.put("Deliveries received", received);
        report.put("Goal", "100% delivery, p95 < 50 ms: MET");
        report.latencies.put("end-to-end (send → message:new)", new Report.Latency(received, 10, 8, 20, p99, 1, p99 + 5));
        return report;
    }

    @Test
    void aRunWithinItsThresholdsPasses() {
        Options options = Options.parse("--scenario", "seed", "--p99-limit", "50", "--min-delivery", "99.9");
        assertThat(Gate.misses(report(1000, 1000, 42.5), options)).isEmpty();
        assertThat(Gate.misses(report(1000, 999, 42.5), options)).isEmpty();
    }

    @Test
    void aSlowOrLossyRunMissesEachThresholdItBreaks() {
        Options options = Options.parse("--scenario", "seed", "--p99-limit", "50", "--min-delivery", "0.999");
        assertThat(Gate.misses(report(1000, 990, 75), options)).containsExactly(
                "p99 of end-to-end (send → message:new) is 75.00 ms, above --p99-limit 50.00 ms",
                "delivery is 99.000% (990 of 1000), below --min-delivery 99.900%");
    }

    @Test
    void withoutThresholdsTheScenariosGoalIsTheGate() {
        Report failed = report(10, 5, 10);
        failed.passed = false;
        assertThat(Gate.misses(failed, Options.parse("--scenario", "seed"))).hasSize(1);
        assertThat(Gate.misses(report(10, 10, 10), Options.parse("--scenario", "seed"))).isEmpty();
    }

    /** Losing, duplicating or reordering an acknowledged message fails a chaos run whatever thresholds were given. */
    @Test
    void aChaosRunThatLostAMessageMissesEvenWithLooseThresholds() {
        Report chaos = new Report("chaos");
        chaos.put("Deliveries expected", 1000L);
        chaos.put("Deliveries received", 999L);
        chaos.put("Acknowledged messages lost", 1L);
        chaos.passed = false;
        assertThat(Gate.misses(chaos, Options.parse("--scenario", "chaos", "--min-delivery", "50", "--p99-limit", "100000")))
                .containsExactly("chaos: an acknowledged message was lost, duplicated or delivered out of order (see the faults table)");
    }

    @Test
    void latencyFiguresComeFromTheHistogramOfMicrosecondsInOnePlace() {
        org.HdrHistogram.Histogram micros = new org.HdrHistogram.Histogram(3);
        for (int i = 1; i <= 100; i++) {
            micros.recordValue(i * 10L); // 0.01..1 ms: exact at 3 significant digits
        }
        Report.Latency latency = Report.Latency.of(micros);
        assertThat(latency.p50()).isEqualTo(0.5);
        assertThat(latency.p99()).isEqualTo(0.99);
        assertThat(latency.max()).isEqualTo(Report.Latency.millis(micros, 100)).isEqualTo(1.0);
        assertThat(latency.text()).isEqualTo("0.50 / 0.95 / 0.99 / 1.0");
        assertThat(Report.Latency.of(new org.HdrHistogram.Histogram(3)).text()).isEqualTo("—");
        assertThat(Report.Latency.millis(new org.HdrHistogram.Histogram(3), 99)).isZero();
    }

    @Test
    void exitCodesTellMetFromMissedFromFailed() {
        assertThat(LoadTool.execute("--help")).isEqualTo(Gate.PASSED);
        assertThat(LoadTool.execute("stray-argument")).isEqualTo(Gate.FAILED);
        assertThat(LoadTool.execute("--scenario", "no-such-scenario", "--url", "http://127.0.0.1:1")).isEqualTo(Gate.FAILED);
    }

    @Test
    void theFiguresAreValidPrometheusText(@TempDir Path dir) throws Exception {
        Report report = report(1000, 990, 75);
        Path file = dir.resolve("load.prom");
        Gate.writePrometheus(file, report, Gate.misses(report, Options.parse("--scenario", "seed", "--p99-limit", "50")));

        PrometheusText metrics = PrometheusText.parse(Files.readString(file));
        assertThat(metrics.type("confab_load_latency_seconds")).isEqualTo("gauge");
        assertThat(metrics.sum("confab_load_latency_seconds", Map.of("scenario", "seed", "quantile", "0.99"))).isEqualTo(0.075);
        assertThat(metrics.sum("confab_load_figure", Map.of("name", "Deliveries received"))).isEqualTo(990);
        assertThat(metrics.sum("confab_load_passed", Map.of("scenario", "seed"))).isZero();
        assertThat(metrics.samples("confab_load_figure")).noneMatch(sample -> "Goal".equals(sample.label("name")));
        assertThat(Files.exists(dir.resolve("load.prom.partial"))).isFalse();
    }
}
