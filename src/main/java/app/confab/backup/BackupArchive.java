package app.confab.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import app.confab.ConfabApplication;
import app.confab.platform.CommandException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code backup --to FILE} and {@code restore --from FILE}: one ZIP archive holding a custom-format
 * {@code pg_dump} of the database, the stored files when they are on disk, and a manifest with
 * versions and checksums (docs/OPERATIONS.md).
 *
 * <p>Consistency while the server runs: pg_dump reads one snapshot of the database. The files are
 * copied after the dump, and a file is written before the row that names it is committed and is
 * never changed afterwards, so every file the dumped rows name is already there when the copy
 * starts; files added meanwhile are copied too and are harmless (nothing in the dump names them).
 */
public final class BackupArchive {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final BackupSettings settings;
    private final PrintStream out;

    public BackupArchive(BackupSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    // ---------------------------------------------------------------- backup

    public BackupManifest backup(Path target) {
        Path archive = target.toAbsolutePath().normalize();
        if (Files.exists(archive)) {
            throw new CommandException(2, archive + " already exists; choose a new file name");
        }
        PostgresPrograms programs = PostgresPrograms.find(settings.environment());
        Path directory = archive.getParent();
        try {
            Files.createDirectories(directory);
            Path dump = Files.createTempFile(directory, ".confab-backup-", ".dump");
            Path partial = Files.createTempFile(directory, ".confab-backup-", ".partial");
            try {
                BackupManifest.Entry database;
                String serverVersion;
                String schemaVersion;
                try (DatabaseHandle handle = openDatabase()) {
                    PostgresConnection connection = handle.connection();
                    serverVersion = queryOne(connection, "SHOW server_version");
                    schemaVersion = schemaVersion(connection);
                    checkProgramsFitServer(programs, connection);
                    out.println("Dumping database " + connection.describe() + " (PostgreSQL " + serverVersion + ")");
                    PostgresPrograms.Result result = programs.run(List.of(programs.program("pg_dump").toString(),
                            "--format=custom", "--no-password", "--file=" + dump, "--dbname=" + connection.libpqUri()),
                            connection.environment(), null);
                    if (result.exitCode() != 0) {
                        throw new CommandException(1, "pg_dump failed: " + result.output().trim());
                    }
                    database = new BackupManifest.Entry(BackupManifest.DATABASE_ENTRY, Files.size(dump), sha256(dump));
                }
                List<BackupManifest.Entry> files = new ArrayList<>();
                BackupManifest.Storage storage;
                try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
                    // The dump is compressed already.
                    zip.setLevel(1);
                    putFile(zip, BackupManifest.DATABASE_ENTRY, dump);
                    if (settings.s3Storage()) {
                        storage = new BackupManifest.Storage("s3", settings.s3Endpoint() + "/" + settings.s3Bucket(), 0, 0,
                                "The stored files are in the S3 bucket and not in this archive: back the bucket up "
                                        + "yourself (e.g. rclone sync or mc mirror) and restore it before starting the server.");
                    } else {
                        long bytes = 0;
                        for (Path file : storedFiles()) {
                            String name = BackupManifest.FILES_PREFIX + settings.filesDir().relativize(file).toString().replace('\\', '/');
                            BackupManifest.Entry entry = putFile(zip, name, file);
                            if (entry != null) {
                                files.add(entry);
                                bytes += entry.bytes();
                            }
                        }
                        storage = new BackupManifest.Storage("disk", settings.filesDir().toString(), files.size(), bytes, null);
                    }
                    BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, BackupManifest.FORMAT_VERSION,
                            Instant.now().toString(), confabVersion(), schemaVersion, serverVersion, programs.version(),
                            database, storage, files);
                    zip.putNextEntry(new ZipEntry(BackupManifest.MANIFEST_ENTRY));
                    zip.write(JSON.writeValueAsBytes(manifest));
                    zip.closeEntry();
                    zip.finish();
                    zip.close();
                    Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
                    out.println("Backup written to " + archive + ": database " + database.bytes() + " bytes, "
                            + storage.fileCount() + " stored files (" + storage.bytes() + " bytes), schema version " + schemaVersion);
                    if (storage.note() != null) {
                        out.println(storage.note());
                    }
                    return manifest;
                }
            } finally {
                Files.deleteIfExists(dump);
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new CommandException(1, "Backup failed: " + e);
        }
    }

    private List<Path> storedFiles() throws IOException {
        if (!Files.isDirectory(settings.filesDir())) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(settings.filesDir())) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Adds one file; null when it vanished since the listing (an abandoned upload cleaned up). */
    private static BackupManifest.Entry putFile(ZipOutputStream zip, String name, Path file) throws IOException {
        MessageDigest digest = newDigest();
        InputStream opened;
        try {
            opened = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        long bytes;
        try (InputStream in = new DigestInputStream(opened, digest)) {
            zip.putNextEntry(new ZipEntry(name));
            bytes = in.transferTo(zip);
            zip.closeEntry();
        }
        return new BackupManifest.Entry(name, bytes, HexFormat.of().formatHex(digest.digest()));
    }

    // ---------------------------------------------------------------- restore

    public BackupManifest restore(Path source) {
        Path archivePath = source.toAbsolutePath().normalize();
        if (!Files.isRegularFile(archivePath)) {
            throw new CommandException(2, archivePath + " does not exist");
        }
        try (ZipFile archive = new ZipFile(archivePath.toFile())) {
            BackupManifest manifest = readManifest(archive, archivePath);
            verify(archive, manifest);
            PostgresPrograms programs = PostgresPrograms.find(settings.environment());
            refuseNonEmptyTarget();
            try {
                restoreInto(archive, manifest, programs);
            } catch (RuntimeException | IOException e) {
                removePartialRestore();
                throw e;
            }
            out.println("Restored " + archivePath + " (made " + manifest.createdAt() + ", schema version "
                    + manifest.schemaVersion() + "): " + manifest.files().size() + " stored files into " + settings.filesDir());
            if ("s3".equals(manifest.storage().kind())) {
                out.println("The stored files were in S3 (" + manifest.storage().location() + ") and are not in this archive: "
                        + "restore the bucket from your own copy before starting the server.");
            }
            return manifest;
        } catch (IOException e) {
            throw new CommandException(1, "Restore failed: " + e);
        }
    }

    private void restoreInto(ZipFile archive, BackupManifest manifest, PostgresPrograms programs) throws IOException {
        Path dump = Files.createTempFile("confab-restore-", ".dump");
        try {
            try (InputStream in = archive.getInputStream(archive.getEntry(BackupManifest.DATABASE_ENTRY))) {
                Files.copy(in, dump, StandardCopyOption.REPLACE_EXISTING);
            }
            try (DatabaseHandle handle = createDatabase()) {
                PostgresConnection connection = handle.connection();
                out.println("Restoring the database into " + connection.describe());
                PostgresPrograms.Result result = programs.run(List.of(programs.program("pg_restore").toString(),
                        "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--no-password",
                        "--dbname=" + connection.libpqUri(), dump.toString()), connection.environment(), null);
                if (result.exitCode() != 0) {
                    throw new CommandException(1, "pg_restore failed: " + result.output().trim());
                }
            }
        } finally {
            Files.deleteIfExists(dump);
        }
        for (BackupManifest.Entry file : manifest.files()) {
            Path target = fileTarget(file);
            Files.createDirectories(target.getParent());
            try (InputStream in = archive.getInputStream(archive.getEntry(file.name()))) {
                Files.copy(in, target);
            }
        }
    }

    /** Where a stored file goes; verify() has checked that it stays inside DATA_DIR/files. */
    private Path fileTarget(BackupManifest.Entry file) {
        return settings.filesDir().resolve(file.name().substring(BackupManifest.FILES_PREFIX.length())).normalize();
    }

    /**
     * A failed restore leaves the target as empty as it found it, so the next attempt is not
     * refused: the embedded cluster it created and the files it copied go (pg_restore ran in one
     * transaction, so an external database is empty again by itself).
     */
    private void removePartialRestore() {
        List<Path> created = new ArrayList<>();
        if (!settings.s3Storage()) {
            created.add(settings.filesDir());
        }
        if (!settings.externalDatabase()) {
            created.add(settings.embeddedClusterDir());
        }
        for (Path directory : created) {
            if (!Files.exists(directory)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(directory)) {
                for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                out.println("Could not remove " + directory + " after the failed restore: " + e.getMessage());
            }
        }
    }

    private static BackupManifest readManifest(ZipFile archive, Path path) throws IOException {
        ZipEntry entry = archive.getEntry(BackupManifest.MANIFEST_ENTRY);
        if (entry == null) {
            throw new CommandException(2, path + " is not a Confab backup (no " + BackupManifest.MANIFEST_ENTRY + ")");
        }
        BackupManifest manifest;
        try (InputStream in = archive.getInputStream(entry)) {
            manifest = JSON.readValue(in, BackupManifest.class);
        } catch (RuntimeException e) {
            throw new CommandException(2, path + " has an unreadable manifest: " + e.getMessage());
        }
        if (!BackupManifest.FORMAT.equals(manifest.format()) || manifest.formatVersion() > BackupManifest.FORMAT_VERSION) {
            throw new CommandException(2, path + " is a " + manifest.format() + " v" + manifest.formatVersion()
                    + " archive; this Confab reads " + BackupManifest.FORMAT + " v" + BackupManifest.FORMAT_VERSION);
        }
        return manifest;
    }

    /** Every entry's checksum, before anything is written: a damaged archive restores nothing. */
    private void verify(ZipFile archive, BackupManifest manifest) throws IOException {
        List<BackupManifest.Entry> entries = new ArrayList<>(manifest.files());
        entries.add(manifest.database());
        for (BackupManifest.Entry file : manifest.files()) {
            if (!file.name().startsWith(BackupManifest.FILES_PREFIX) || !fileTarget(file).startsWith(settings.filesDir())) {
                throw new CommandException(2, "The archive names a file outside the data directory: " + file.name());
            }
        }
        for (BackupManifest.Entry expected : entries) {
            ZipEntry entry = archive.getEntry(expected.name());
            if (entry == null) {
                throw new CommandException(2, "The archive lacks " + expected.name() + " that its manifest lists");
            }
            MessageDigest digest = newDigest();
            try (InputStream in = new DigestInputStream(archive.getInputStream(entry), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            if (!HexFormat.of().formatHex(digest.digest()).equals(expected.sha256())) {
                throw new CommandException(2, "The archive is damaged: " + expected.name() + " does not match its checksum");
            }
        }
    }

    private void refuseNonEmptyTarget() throws IOException {
        if (!settings.s3Storage() && isNonEmptyDirectory(settings.filesDir())) {
            throw new CommandException(2, "Refusing to restore: " + settings.filesDir()
                    + " already holds stored files; restore only into an empty data directory");
        }
        if (settings.externalDatabase()) {
            PostgresConnection connection = PostgresConnection.of(settings.databaseUrl());
            String tables = queryOne(connection, """
                    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
                      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                    """);
            if (!"0".equals(tables)) {
                throw new CommandException(2, "Refusing to restore: the database " + connection.describe() + " is not empty ("
                        + tables + " tables, sequences or views); restore only into an empty database");
            }
        } else if (isNonEmptyDirectory(settings.embeddedClusterDir())) {
            throw new CommandException(2, "Refusing to restore: " + settings.embeddedClusterDir()
                    + " already holds a database; restore only into an empty data directory");
        }
    }

    private static boolean isNonEmptyDirectory(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return false;
        }
        if (!Files.isDirectory(directory)) {
            return true;
        }
        try (Stream<Path> children = Files.list(directory)) {
            return children.findAny().isPresent();
        }
    }

    // ---------------------------------------------------------------- database access

    /** The database to dump or restore into, and whatever must be stopped afterwards. */
    private interface DatabaseHandle extends AutoCloseable {
        PostgresConnection connection();

        @Override
        void close() throws IOException;
    }

    private DatabaseHandle openDatabase() {
        if (settings.externalDatabase()) {
            PostgresConnection connection = PostgresConnection.of(settings.databaseUrl());
            return handle(connection, null);
        }
        if (!Files.isDirectory(settings.embeddedClusterDir())) {
            throw new CommandException(2, "No database to back up: " + settings.embeddedClusterDir()
                    + " does not exist (set DATA_DIR, or DATABASE_URL for an external database)");
        }
        EmbeddedDatabaseAccess access = EmbeddedDatabaseAccess.open(settings.dataDir());
        return handle(access.connection(), access);
    }

    private DatabaseHandle createDatabase() {
        if (settings.externalDatabase()) {
            return handle(PostgresConnection.of(settings.databaseUrl()), null);
        }
        EmbeddedDatabaseAccess access = EmbeddedDatabaseAccess.create(settings.dataDir());
        return handle(access.connection(), access);
    }

    private static DatabaseHandle handle(PostgresConnection connection, EmbeddedDatabaseAccess access) {
        return new DatabaseHandle() {
            @Override
            public PostgresConnection connection() {
                return connection;
            }

            @Override
            public void close() throws IOException {
                if (access != null) {
                    access.close();
                }
            }
        };
    }

    private static void checkProgramsFitServer(PostgresPrograms programs, PostgresConnection connection) {
        int server = Integer.parseInt(queryOne(connection, "SHOW server_version_num")) / 10_000;
        int tools = programs.majorVersion();
        if (tools < server) {
            throw new CommandException(3, "pg_dump " + tools + " (" + programs.program("pg_dump")
                    + ") cannot dump a PostgreSQL " + server + " server: install version " + server
                    + " or newer of the client programs, or point PG_BIN at them");
        }
    }

    private static String schemaVersion(PostgresConnection connection) {
        try {
            return queryOne(connection, """
                    SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL
                    ORDER BY installed_rank DESC LIMIT 1
                    """);
        } catch (CommandException e) {
            return "none";
        }
    }

    private static String queryOne(PostgresConnection connection, String sql) {
        try (Connection jdbc = connection.open(); Statement statement = jdbc.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        } catch (SQLException e) {
            throw new CommandException(1, "Could not query the database " + connection.describe() + ": " + e.getMessage());
        }
    }

    private static String confabVersion() {
        String version = ConfabApplication.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(Path file) {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
