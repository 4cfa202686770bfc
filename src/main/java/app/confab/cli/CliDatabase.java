package app.confab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import org.flywaydb.core.Flyway;

import app.confab.platform.DatabaseUrl;
import app.confab.platform.EmbeddedPostgresServer;

/**
 * The server's database, reached from a command-line verb: {@code DATABASE_URL} when set;
 * otherwise the embedded PostgreSQL in {@code DATA_DIR/postgres} — the running server's instance
 * when there is one (its port is in {@code postmaster.pid}), else started here for the command.
 * The schema is migrated first, as the server would on start.
 */
final class CliDatabase implements AutoCloseable {

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final EmbeddedPostgresServer startedHere;

    private CliDatabase(String jdbcUrl, String username, String password, EmbeddedPostgresServer startedHere) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.startedHere = startedHere;
    }

    static CliDatabase open() {
        String databaseUrl = System.getenv("DATABASE_URL");
        CliDatabase database;
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            DatabaseUrl url = DatabaseUrl.parse(databaseUrl);
            database = new CliDatabase(url.jdbcUrl(), url.username(), url.password(), null);
        } else {
            String dataDir = System.getenv("DATA_DIR");
            Path data = Path.of(dataDir == null || dataDir.isBlank() ? "./data" : dataDir);
            database = runningEmbedded(data);
            if (database == null) {
                EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data);
                database = new CliDatabase(server.jdbcUrl(), "postgres", server.password(), server);
            }
        }
        Flyway.configure().dataSource(database.jdbcUrl, database.username, database.password)
                .locations("classpath:db/migration").load().migrate();
        return database;
    }

    /** The embedded PostgreSQL a running server started in this data directory, if it answers. */
    private static CliDatabase runningEmbedded(Path data) {
        Path pidFile = data.resolve("postgres").resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) {
                return null;
            }
            int port = Integer.parseInt(lines.get(3).strip());
            String url = "jdbc:postgresql://localhost:" + port + "/postgres";
            String password = EmbeddedPostgresServer.passwordOf(data);
            try (Connection ignored = DriverManager.getConnection(url, "postgres", password)) {
                return new CliDatabase(url, "postgres", password, null);
            }
        } catch (IOException | NumberFormatException | SQLException e) {
            return null; // stale file: start our own instance
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    @Override
    public void close() {
        if (startedHere != null) {
            try {
                startedHere.close();
            } catch (IOException e) {
                System.err.println("Could not stop the embedded PostgreSQL: " + e.getMessage());
            }
        }
    }
}
