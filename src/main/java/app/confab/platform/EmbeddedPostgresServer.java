package app.confab.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL that runs inside the Confab process when no DATABASE_URL is given, so a fresh
 * checkout needs nothing but a JDK. Its cluster lives in {@code DATA_DIR/postgres} and is reused on
 * the next start, which is what makes data survive restarts.
 *
 * <p>It stops when the application context closes, after the web server's graceful shutdown has
 * let in-flight requests finish ({@code DataSourceConfig} closes it after the pool). The library's
 * own JVM shutdown hook is off: on SIGTERM it would stop PostgreSQL at once, in parallel with
 * Spring's shutdown, and fail every request still draining with "database unavailable".
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedPostgresServer start(Path dataDir) {
        try {
            Path clusterDir = dataDir.resolve("postgres").toAbsolutePath();
            Path workDir = dataDir.resolve("postgres-bin").toAbsolutePath();
            Files.createDirectories(clusterDir.getParent());
            Files.createDirectories(workDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(clusterDir)
                    .setOverrideWorkingDirectory(workDir.toFile())
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "128MB")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            log.info("Embedded PostgreSQL running on port {} with data in {}", postgres.getPort(), clusterDir);
            return new EmbeddedPostgresServer(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        postgres.close();
        log.info("Embedded PostgreSQL stopped");
    }
}
