package app.confab.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import app.confab.platform.EmbeddedPostgresServer;

/**
 * Reaches the embedded PostgreSQL of a data directory from another process. While a Confab server
 * runs, its PostgreSQL is up and its {@code postmaster.pid} says on which port (line 4): the
 * backup connects there, so it needs no downtime. When no server runs, the cluster is started
 * here for the time of the backup and stopped again.
 */
final class EmbeddedDatabaseAccess implements AutoCloseable {

    private final PostgresConnection connection;
    private final EmbeddedPostgresServer startedHere;
    private final Thread stopOnExit;

    private EmbeddedDatabaseAccess(PostgresConnection connection, EmbeddedPostgresServer startedHere) {
        this.connection = connection;
        this.startedHere = startedHere;
        // A PostgreSQL started for this command must not outlive it, also after Ctrl-C.
        this.stopOnExit = startedHere == null ? null : new Thread(() -> {
            try {
                startedHere.close();
            } catch (IOException ignored) {
                // The process is exiting anyway.
            }
        }, "confab-cli-stop-postgres");
        if (stopOnExit != null) {
            Runtime.getRuntime().addShutdownHook(stopOnExit);
        }
    }

    static EmbeddedDatabaseAccess open(Path dataDir) {
        Path cluster = dataDir.resolve("postgres");
        Integer runningPort = runningPort(cluster);
        if (runningPort != null) {
            return new EmbeddedDatabaseAccess(PostgresConnection.of(
                    "jdbc:postgresql://localhost:" + runningPort + "/postgres", "postgres",
                    EmbeddedPostgresServer.passwordOf(dataDir)), null);
        }
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir);
        return new EmbeddedDatabaseAccess(PostgresConnection.of(server.jdbcUrl(), "postgres", server.password()), server);
    }

    /** A fresh cluster in an empty data directory (what a restore fills). */
    static EmbeddedDatabaseAccess create(Path dataDir) {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir);
        return new EmbeddedDatabaseAccess(PostgresConnection.of(server.jdbcUrl(), "postgres", server.password()), server);
    }

    PostgresConnection connection() {
        return connection;
    }

    boolean sharedWithRunningServer() {
        return startedHere == null;
    }

    private static Integer runningPort(Path cluster) {
        Path pidFile = cluster.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.get(0).trim());
            if (lines.size() < 4 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
                return null;
            }
            return Integer.parseInt(lines.get(3).trim());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        if (startedHere != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException alreadyExiting) {
                return;
            }
            startedHere.close();
        }
    }
}
