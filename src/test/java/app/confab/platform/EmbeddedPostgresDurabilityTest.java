package app.confab.platform;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

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
            Properties login = new Properties();
            login.setProperty("user", "postgres");
            login.setProperty("password", server.password());
            Map<String, String> settings = new LinkedHashMap<>();
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), login);
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
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir)) {
            Properties login = new Properties();
            login.setProperty("user", "postgres");
            login.setProperty("password", server.password());
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), login);
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE growing (id bigint PRIMARY KEY, body text)");
                statement.execute("INSERT INTO growing SELECT g, 'row ' || g FROM generate_series(1, 5000) g");
                // Autovacuum analyses it on its own (nothing here runs ANALYZE), within its wake-up interval.
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                long analyses = 0;
                while (analyses == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                    try (ResultSet row = statement.executeQuery(
                            "SELECT autoanalyze_count FROM pg_stat_user_tables WHERE relname = 'growing'")) {
                        analyses = row.next() ? row.getLong(1) : 0;
                    }
                }
                assertThat(analyses).as("autoanalyze runs within 30 s of the rows arriving").isPositive();
            }
        }
    }
}
