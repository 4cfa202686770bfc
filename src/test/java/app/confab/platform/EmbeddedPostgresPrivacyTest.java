package app.confab.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded PostgreSQL admits only this process: a generated password (0600 in DATA_DIR) with
 * scram-sha-256, no trust, no replication; a data directory made by an older version (trust) is
 * upgraded on start with its data intact. Real clusters, real TCP logins.
 */
class EmbeddedPostgresPrivacyTest {

    @TempDir
    Path dataDir;

    private static Connection connect(String jdbcUrl, String password, boolean replication) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        if (password != null) {
            properties.setProperty("password", password);
        }
        if (replication) {
            properties.setProperty("replication", "true");
            properties.setProperty("assumeMinServerVersion", "9.4");
            properties.setProperty("preferQueryMode", "simple");
        }
        properties.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    private static void assertPrivate(EmbeddedPostgresServer server, Path dataDir) throws Exception {
        assertThatThrownBy(() -> connect(server.jdbcUrl(), null, false).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> connect(server.jdbcUrl(), "not-the-password", false).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> connect(server.jdbcUrl(), server.password(), true).close())
                .isInstanceOf(SQLException.class);
        try (Connection connection = connect(server.jdbcUrl(), server.password(), false);
             Statement statement = connection.createStatement();
             ResultSet verifier = statement.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'")) {
            assertThat(verifier.next()).isTrue();
            assertThat(verifier.getString(1)).startsWith("SCRAM-SHA-256$");
        }
        Path passwordFile = dataDir.resolve("postgres-password");
        assertThat(Files.readString(passwordFile).strip()).isEqualTo(server.password()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        assertThat(Files.readString(dataDir.resolve("postgres/pg_hba.conf"))).doesNotContain("trust");
    }

    @Test
    void aFreshDataDirectoryGetsAPasswordAndNoTrust() throws Exception {
        String firstPassword;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir)) {
            assertPrivate(server, dataDir);
            firstPassword = server.password();
        }
        // The next start logs in with the kept password.
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(dataDir)) {
            assertThat(again.password()).isEqualTo(firstPassword);
            assertPrivate(again, dataDir);
        }
    }

    @Test
    void aTrustDataDirectoryFromAnOlderVersionIsUpgradedWithItsData() throws Exception {
        Path clusterDir = dataDir.resolve("postgres");
        try (EmbeddedPostgres legacy = EmbeddedPostgres.builder()
                .setDataDirectory(clusterDir)
                .setOverrideWorkingDirectory(dataDir.resolve("postgres-bin").toFile())
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
             Connection connection = legacy.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')");
        }
        assertThat(Files.readString(clusterDir.resolve("pg_hba.conf"))).contains("trust");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir)) {
            assertPrivate(server, dataDir);
            try (Connection connection = connect(server.jdbcUrl(), server.password(), false);
                 Statement statement = connection.createStatement();
                 ResultSet kept = statement.executeQuery("SELECT note FROM kept")) {
                assertThat(kept.next()).isTrue();
                assertThat(kept.getString(1)).isEqualTo("still here");
            }
        }
    }
}
