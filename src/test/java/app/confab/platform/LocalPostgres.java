package app.confab.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster made with the machine's own server binaries (Debian's
 * {@code /usr/lib/postgresql/<version>/bin}), for tests that need what the embedded PostgreSQL
 * cannot give: a streaming replica made with {@code pg_basebackup}. PostgreSQL refuses to run as
 * root, so under root every command runs as the {@code postgres} OS user via {@code runuser}.
 * Each cluster lives in its own directory under one temporary parent and listens on 127.0.0.1 on
 * a free port, with its socket in that directory: the system's own cluster is never touched.
 */
final class LocalPostgres {

    private final Path binDir;
    private final Path dataDir;
    private final int port;

    private LocalPostgres(Path binDir, Path dataDir, int port) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** The newest installed server's bin directory, or null when no server binaries are installed. */
    static Path findBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Stream.of("initdb", "pg_ctl", "pg_basebackup", "postgres")
                            .allMatch(tool -> Files.isExecutable(bin.resolve(tool))))
                    .max(Comparator.comparing(bin -> versionNumber(bin.getParent().getFileName().toString())))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int versionNumber(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A directory the clusters can live in (owned by the postgres user when we are root). */
    static Path newParentDirectory() {
        try {
            Path parent = Files.createTempDirectory("confab-pg-");
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (isRoot()) {
                UserPrincipal postgres = parent.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName("postgres");
                Files.setOwner(parent, postgres);
            }
            return parent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** initdb + start: a primary that accepts replication connections from 127.0.0.1 without a password. */
    static LocalPostgres startPrimary(Path binDir, Path parent, String name) {
        Path dataDir = parent.resolve(name);
        run(binDir, "initdb", "-D", dataDir.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale");
        LocalPostgres primary = new LocalPostgres(binDir, dataDir, freePort());
        primary.appendConfig("""
                wal_level = replica
                max_wal_senders = 5
                hot_standby = on
                fsync = off
                full_page_writes = off
                shared_buffers = 32MB
                max_connections = 60
                """);
        primary.start();
        return primary;
    }

    /** pg_basebackup from {@code primary}, then start it as a hot standby streaming from it. */
    LocalPostgres startReplica(Path parent, String name) {
        Path replicaDir = parent.resolve(name);
        run(binDir, "pg_basebackup", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres",
                "-D", replicaDir.toString(), "-R", "-X", "stream", "-c", "fast");
        LocalPostgres replica = new LocalPostgres(binDir, replicaDir, freePort());
        replica.start();
        return replica;
    }

    void start() {
        appendConfig("port = " + port + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '"
                + dataDir.getParent() + "'\n");
        run(binDir, "pg_ctl", "-D", dataDir.toString(), "-l", dataDir.resolve("server.log").toString(), "-w",
                "-t", "60", "start");
    }

    /** Stops the server; {@code immediate} simulates a crash (no shutdown checkpoint). */
    void stop(boolean immediate) {
        run(binDir, "pg_ctl", "-D", dataDir.toString(), "-m", immediate ? "immediate" : "fast", "-w", "stop");
    }

    /** Promotes a standby to primary (pg_ctl promote, waiting until it accepts writes). */
    void promote() {
        run(binDir, "pg_ctl", "-D", dataDir.toString(), "-w", "-t", "60", "promote");
    }

    /** Appends settings and reloads them into the running server. */
    void reconfigure(String lines) {
        appendConfig(lines);
        run(binDir, "pg_ctl", "-D", dataDir.toString(), "reload");
    }

    void stopQuietly() {
        try {
            stop(true);
        } catch (RuntimeException ignored) {
            // Already stopped.
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    int port() {
        return port;
    }

    private void appendConfig(String lines) {
        try {
            // Appended settings win over earlier ones; the file stays owned by its cluster's user.
            Files.writeString(dataDir.resolve("postgresql.conf"), "\n" + lines, StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: it is a temporary directory.
        }
    }

    private static void run(Path binDir, String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(binDir.resolve(tool).toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
