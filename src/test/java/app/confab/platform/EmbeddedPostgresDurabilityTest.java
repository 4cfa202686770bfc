package app.confab.platform;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded PostgreSQL keeps what it acknowledged through a machine crash: its library starts
 * the postmaster with {@code -F} (fsync off, meant for throwaway test databases), so a commit was
 * acknowledged before its WAL reached the disk, and a power cut could lose acknowledged messages
 * or corrupt the cluster. A real cluster, asked for its settings and where each came from.
 */
class EmbeddedPostgresDurabilityTest {

    @TempDir
    Path dataDir;

    @Test
    void everyCommitIsFlushedToDiskBeforeItIsAcknowledged() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir)) {
            Map<String, String> settings = new LinkedHashMap<>();
            try (Connection connection = connect(server);
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("""
                         SELECT name, setting FROM pg_settings
                         WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')
                         ORDER BY name""")) {
                while (rows.next()) {
                    settings.put(rows.getString(1), rows.getString(2));
                }
            }
            assertThat(settings).containsEntry("fsync", "on")
                    .containsEntry("synchronous_commit", "on")
                    .containsEntry("full_page_writes", "on");
        }
    }

    @Test
    void tablesThatGrowFromEmptyAreAnalysedWithinSecondsSoPlansFollowThem() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir);
             Connection connection = connect(server);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE growing (id bigint PRIMARY KEY, body text)");
            statement.execute("INSERT INTO growing SELECT g, 'row ' || g FROM generate_series(1, 5000) g");
            // Autovacuum analyses it on its own (nothing here runs ANALYZE), within its wake-up interval.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                try (ResultSet row = statement.executeQuery(
                        "SELECT autoanalyze_count FROM pg_stat_user_tables WHERE relname = 'growing'")) {
                    assertThat(row.next() ? row.getLong(1) : 0).as("autoanalyze runs of the grown table").isPositive();
                }
            });
        }
    }

    private static Connection connect(EmbeddedPostgresServer server) throws java.sql.SQLException {
        Properties login = new Properties();
        login.setProperty("user", "postgres");
        login.setProperty("password", server.password());
        return DriverManager.getConnection(server.jdbcUrl(), login);
    }
}
