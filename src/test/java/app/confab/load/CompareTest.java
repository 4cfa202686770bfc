package app.confab.load;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import app.confab.support.IntegrationTest;
import app.confab.support.Users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code --scenario compare} end to end, cheaply: a 3-second seed shape against a real ejabberd
 * (Debian's package, started by the tool with tools/ejabberd/ejabberd.yml) and against the test
 * server, into one report. Asserts that both columns delivered and acknowledged every message and the report
 * holds both — no figures. .ci/run installs ejabberd, so this runs in CI.
 */
class CompareTest extends IntegrationTest {

    @Test
    void comparesEjabberdAndConfabInOneReport() throws Exception {
        assumeTrue(CompareScenario.ejabberdInstalled(),
                "ejabberd is not installed (/usr/sbin/ejabberdctl): apt-get install ejabberd to run this test");
        Path out = Files.createTempDirectory("confab-compare-test");
        Options options = Options.parse("--scenario", "compare", "--shape", "seed", "--confab-url", "http://localhost:" + port,
                "--prefix", Users.uniqueName("cmp").substring(0, 10), "--out", out.toString(),
                "--users", "8", "--group-size", "4", "--rate", "20", "--duration", "3", "--drain", "20",
                "--settle-ms", "200", "--warmup", "0", "--min-delivery", "100");

        CompareScenario.Result result = CompareScenario.run(options, "compare test");

        for (Report column : new Report[] {result.confab(), result.ejabberd()}) {
            assertThat((long) column.get("Messages Sent")).isPositive();
            assertThat((long) column.get("Deliveries received")).isPositive();
            assertThat(column.get("Deliveries missing")).isEqualTo(0L);
            assertThat(column.get("Messages Stored (acked)")).isEqualTo(column.get("Messages Sent"));
            assertThat(column.get("Duplicates")).isEqualTo(0L);
        }
        assertThat(result.confabMisses()).isEmpty();
        assertThat(result.ejabberdMisses()).isEmpty();
        String markdown = Files.readString(result.markdown());
        assertThat(markdown).contains("| | Confab | ejabberd |").contains("Deliveries received").contains("nproc");
        var json = ConfabApi.JSON.readTree(result.json().toFile());
        assertThat(json.path("confab").path("summary").path("Deliveries received").asLong()).isPositive();
        assertThat(json.path("ejabberd").path("summary").path("Deliveries received").asLong()).isPositive();
        assertThat(json.path("machine").path("loadAverageBefore").asString()).isNotBlank();
    }
}
