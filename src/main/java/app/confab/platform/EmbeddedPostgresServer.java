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
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    public static EmbeddedPostgresServer start(Path dataDir) {
        try {
            Path clusterDir = dataDir.resolve("postgres").toAbsolutePath();
            Path workDir = dataDir.resolve("postgres-bin").toAbsolutePath();
            Files.createDirectories(clusterDir.getParent());
            Files.createDirectories(workDir);
            EmbeddedPostgresCredentials.restrict(dataDir, EmbeddedPostgresCredentials.OWNER_ONLY_DIR);
            String password = EmbeddedPostgresCredentials.password(dataDir);
            boolean secured = EmbeddedPostgresCredentials.isSecured(clusterDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(clusterDir)
                    .setOverrideWorkingDirectory(workDir.toFile())
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "128MB")
                    .setServerConfig("synchronous_commit", "on")
                    // The library starts the postmaster with -F (fsync off: it is made for throwaway
                    // test databases). Confab acknowledges a message only once it is on disk, so
                    // fsync goes back on; this -c comes after -F on the command line and wins.
                    .setServerConfig("fsync", "on")
                    // A statement's plan is cached on its connection and made again only when its
                    // tables are analysed. A fresh Confab grows from empty tables at hundreds of rows a
                    // second; with the default once a minute, plans made for a nearly empty table (a
                    // hash of every message for each batch's retry check) outlived it by up to a
                    // minute (docs/PERFORMANCE.md, "The 2026-12-04 changes").
                    .setServerConfig("autovacuum_naptime", "10s")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // Under trust (first start) a password is ignored; afterwards it is required.
                    .setConnectConfig("password", password);
            EmbeddedPostgres postgres = builder.start();
            if (!secured) {
                // A reload would apply the new pg_hba.conf only some time later; a restart applies it
                // before the first connection of the application. Only the first start pays for it.
                EmbeddedPostgresCredentials.secure(postgres.getPostgresDatabase(), clusterDir, password);
                postgres.close();
                postgres = builder.start();
            }
            log.info("Embedded PostgreSQL running on port {} with data in {}", postgres.getPort(), clusterDir);
            return new EmbeddedPostgresServer(postgres, password);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public String username() {
        return "postgres";
    }

    /**
     * The password of the {@code postgres} role of the cluster in {@code dataDir}, for a command that
     * connects to the cluster a running server started; null when it has none yet (never secured).
     */
    public static String passwordOf(Path dataDir) {
        return java.nio.file.Files.exists(dataDir.resolve(EmbeddedPostgresCredentials.PASSWORD_FILE))
                ? EmbeddedPostgresCredentials.password(dataDir) : null;
    }

    /** The generated password of the {@code postgres} role (see {@link EmbeddedPostgresCredentials}). */
    public String password() {
        return password;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
        log.info("Embedded PostgreSQL stopped");
    }
}
