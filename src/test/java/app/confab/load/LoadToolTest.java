package app.confab.load;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import app.confab.support.IntegrationTest;
import app.confab.support.Users;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load tool's core against the real server, with small numbers: every message reaches every
 * other member exactly once. Correctness only; the figures it prints are not asserted.
 */
class LoadToolTest extends IntegrationTest {

    @Test
    void everyMessageReachesEveryOtherMemberExactlyOnce() throws Exception {
        Path out = Files.createTempDirectory("confab-load-test");
        Options options = Options.parse("--scenario", "seed", "--url", "http://localhost:" + port,
                "--prefix", Users.uniqueName("lt").substring(0, 10), "--out", out.toString(),
                "--users", "8", "--group-size", "4", "--rate", "40", "--duration", "2", "--drain", "20",
                "--settle-ms", "200", "--warmup", "1");

        Report report = LoadTool.run(options);

        assertThat((long) report.get("Messages Sent")).isGreaterThan(50);
        assertThat(report.get("Messages Stored (acked)")).isEqualTo(report.get("Messages Sent"));
        assertThat((long) report.get("Deliveries expected")).isGreaterThan((long) report.get("Messages Sent"));
        assertThat(report.get("Deliveries received")).isEqualTo(report.get("Deliveries expected"));
        assertThat(report.get("Deliveries missing")).isEqualTo(0L);
        assertThat(report.get("Duplicates")).isEqualTo(0L);
        assertThat(report.get("Deliveries to non-members")).isEqualTo(0L);
        assertThat(report.get("Errors")).isEqualTo(0L);
        assertThat(report.latency("end-to-end (send → message:new)").count())
                .isEqualTo((long) report.get("Deliveries expected"));
        assertThat(report.text()).contains("LOAD TEST RESULTS");
        Path base = report.write(out);
        assertThat(Files.readString(Path.of(base + ".html"))).contains("<svg");
        assertThat(ConfabApi.JSON.readTree(Path.of(base + ".json").toFile()).path("summary").path("Deliveries missing").asLong())
                .isZero();

        // The gates on the real run: every delivery arrived, and no series can have a p99 under 1 µs.
        assertThat(Gate.misses(report, Options.parse("--scenario", "seed", "--min-delivery", "100"))).isEmpty();
        assertThat(Gate.misses(report, Options.parse("--scenario", "seed", "--p99-limit", "0.001")))
                .anyMatch(miss -> miss.startsWith("p99 of end-to-end"));
    }

    /** The exit code a pipeline gates on, from real runs: 0 within the thresholds, 1 when one is missed. */
    @Test
    void theExitCodeSaysWhetherARunMetItsThresholds() throws Exception {
        String out = Files.createTempDirectory("confab-load-gate").toString();
        String[] run = {"--scenario", "seed", "--url", "http://localhost:" + port,
                "--prefix", Users.uniqueName("lg").substring(0, 10), "--out", out,
                "--users", "4", "--group-size", "4", "--rate", "20", "--duration", "1", "--drain", "20",
                "--settle-ms", "200", "--warmup", "0"};

        assertThat(LoadTool.execute(with(run, "--min-delivery", "100", "--p99-limit", "60000"))).isEqualTo(Gate.PASSED);
        // No series can have a p99 under 1 µs.
        assertThat(LoadTool.execute(with(run, "--p99-limit", "0.001"))).isEqualTo(Gate.MISSED);
    }

    private static String[] with(String[] run, String... more) {
        String[] all = java.util.Arrays.copyOf(run, run.length + more.length);
        System.arraycopy(more, 0, all, run.length, more.length);
        return all;
    }

    /** The chaos scenario's machinery, with a fault script that only leaves a mark: no real fault here. */
    @Test
    void chaosRunsEachFaultScriptWhileTheLoadGoesOn() throws Exception {
        Path out = Files.createTempDirectory("confab-load-chaos");
        Path marker = out.resolve("fault-ran");
        Path script = out.resolve("mark.sh");
        Files.writeString(script, "touch '" + marker + "'\n");
        Options options = Options.parse("--scenario", "chaos", "--url", "http://localhost:" + port,
                "--prefix", Users.uniqueName("lc").substring(0, 10), "--out", out.toString(),
                "--users", "6", "--group-size", "3", "--rate", "20", "--fault-interval", "1", "--faults", script.toString(),
                "--drain", "20", "--settle-ms", "200", "--warmup", "0");

        Report report = LoadTool.run(options);

        assertThat(marker).exists();
        assertThat(report.get("Faults").toString()).contains("mark.sh").contains("exit 0");
        assertThat((long) report.get("Messages Sent")).isPositive();
        assertThat(report.get("Deliveries missing")).isEqualTo(0L);
        assertThat(report.get("Duplicates")).isEqualTo(0L);
        assertThat(report.passed()).isTrue();
    }
}
