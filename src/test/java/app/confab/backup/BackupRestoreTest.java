package app.confab.backup;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import app.confab.cli.ConfabCommands;
import app.confab.platform.DataSourceConfig;
import app.confab.support.Api;
import app.confab.support.Prerequisites;
import app.confab.support.ServerNode;
import app.confab.support.TestDatabase;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backups restore (issue 14). A server in the default mode (embedded PostgreSQL in its DATA_DIR)
 * gets users, a direct and a group chat, messages with edits, a delete, reactions, read cursors
 * and images; {@code backup --to} runs while it serves; {@code restore --from} fills a fresh
 * DATA_DIR; a server started there has every message, file, cursor and account, and the refresh
 * tokens issued before the backup still work. The same data also survives PostgreSQL's own
 * {@code pg_dump}/{@code pg_restore} and {@code pg_dump | psql}, as docs/OPERATIONS.md promises.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupRestoreTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ServerNode original;
    private Path originalDataDir;
    private Users.TestUser alice;
    private Users.TestUser bob;
    private Users.TestUser carol;
    private final List<String> chatIds = new ArrayList<>();
    private final List<String> attachmentIds = new ArrayList<>();

    @BeforeAll
    void makeData() throws Exception {
        boolean clientPrograms;
        try {
            PostgresPrograms.find(System.getenv());
            clientPrograms = true;
        } catch (app.confab.platform.CommandException e) {
            clientPrograms = false;
        }
        Prerequisites.require(clientPrograms, "PostgreSQL's client programs (pg_dump, pg_restore, psql) are not installed");
        originalDataDir = TestDatabase.newDataDir();
        original = ServerNode.start("", null, originalDataDir, Map.of());
        Api api = original.api();
        Users users = original.users();
        alice = users.register("bk_alice");
        bob = users.register("bk_bob");
        carol = users.register("bk_carol");

        String direct = created(api.post("/api/chats/direct", alice.token(), Map.of("userId", bob.id()))).path("chat").path("id").asString();
        String group = created(api.post("/api/chats/group", alice.token(),
                Map.of("name", "Backup crew", "participantIds", List.of(bob.id(), carol.id())))).path("chat").path("id").asString();
        chatIds.addAll(List.of(direct, group));

        String hello = send(api, alice, direct, "Hello **Bob**", List.of());
        String typo = send(api, bob, direct, "I am hier", List.of());
        assertThat(api.put("/api/messages/" + typo, bob.token(), Map.of("content", "I am *here*")).status()).isEqualTo(200);
        String secret = send(api, alice, direct, "delete me", List.of());
        assertThat(api.delete("/api/messages/" + secret, alice.token()).status()).isEqualTo(204);
        assertThat(api.post("/api/messages/" + hello + "/reactions", bob.token(), Map.of("emoji", "👍")).status()).isEqualTo(201);

        attachmentIds.add(upload(alice, png(Color.RED)));
        attachmentIds.add(upload(alice, png(Color.BLUE)));
        String photos = send(api, alice, group, "Two pictures", attachmentIds);
        String reply = send(api, carol, group, "Nice & <b>bold</b>", List.of());
        assertThat(api.post("/api/messages/" + photos + "/reactions", carol.token(), Map.of("emoji", "🎉")).status()).isEqualTo(201);
        assertThat(api.post("/api/chats/" + group + "/read", bob.token(), Map.of("messageId", photos)).status()).isEqualTo(200);
        assertThat(api.post("/api/chats/" + direct + "/read", bob.token(), Map.of("messageId", hello)).status()).isEqualTo(200);
        assertThat(reply).isNotBlank();
    }

    @AfterAll
    void stop() {
        if (original != null) {
            original.close();
        }
    }

    @Test
    void aBackupOfARunningServerRestoresIntoAFreshDataDirectoryWithEverythingInIt() throws Exception {
        Map<String, JsonNode> before = snapshot(original.api());
        Map<String, byte[]> filesBefore = downloads(original.baseUrl());

        Path archive = Files.createTempDirectory("confab-backup-").resolve("confab.backup");
        Outcome backup = command(Map.of("DATA_DIR", originalDataDir.toString()), "backup", "--to", archive.toString());
        assertThat(backup.exitCode()).as(backup.output()).isEqualTo(0);
        assertThat(archive).isRegularFile();

        Outcome again = command(Map.of("DATA_DIR", originalDataDir.toString()), "backup", "--to", archive.toString());
        assertThat(again.exitCode()).as("an existing archive is never overwritten").isNotEqualTo(0);
        assertThat(again.output()).contains("already exists");

        assertManifestDescribesTheArchive(archive);
        Path damaged = damagedCopy(archive);
        Path untouched = TestDatabase.newDataDir().resolve("untouched");
        Outcome fromDamaged = command(Map.of("DATA_DIR", untouched.toString()), "restore", "--from", damaged.toString());
        assertThat(fromDamaged.exitCode()).as(fromDamaged.output()).isEqualTo(2);
        assertThat(fromDamaged.output()).contains("damaged").contains(BackupManifest.DATABASE_ENTRY);
        assertThat(!Files.exists(untouched) || isEmptyDirectory(untouched)).as("a damaged archive restores nothing").isTrue();

        Outcome intoLive = command(Map.of("DATA_DIR", originalDataDir.toString()), "restore", "--from", archive.toString());
        assertThat(intoLive.exitCode()).as("a data directory with data in it is refused").isNotEqualTo(0);
        assertThat(intoLive.output()).contains("Refusing to restore");

        Path restoredDataDir = TestDatabase.newDataDir().resolve("restored");
        Outcome restore = command(Map.of("DATA_DIR", restoredDataDir.toString()), "restore", "--from", archive.toString());
        assertThat(restore.exitCode()).as(restore.output()).isEqualTo(0);

        try (ServerNode restored = ServerNode.start("", null, restoredDataDir, Map.of())) {
            assertThat(snapshot(restored.api())).isEqualTo(before);
            Map<String, byte[]> filesAfter = downloads(restored.baseUrl());
            assertThat(filesAfter.keySet()).isEqualTo(filesBefore.keySet());
            filesBefore.forEach((path, bytes) -> assertThat(filesAfter.get(path)).as(path).isEqualTo(bytes));

            for (Users.TestUser user : List.of(alice, bob, carol)) {
                Api.Response refreshed = restored.api().post("/api/auth/refresh", null, Map.of("refreshToken", user.refreshToken()));
                assertThat(refreshed.status()).as("old refresh token of " + user.username() + ": " + refreshed.text()).isEqualTo(200);
                Api.Response login = restored.api().post("/api/auth/login", null,
                        Map.of("username", user.username(), "password", Users.PASSWORD));
                assertThat(login.status()).as(login.text()).isEqualTo(200);
            }
            // The restored server keeps working: new messages, and search over the restored ones.
            send(restored.api(), bob, chatIds.getFirst(), "after the restore", List.of());
            Api.Response search = restored.api().get("/api/messages/search?q=pictures", carol.token());
            assertThat(search.status()).as(search.text()).isEqualTo(200);
            assertThat(search.text()).contains("pictures");
        }
    }

    /**
     * The manifest names what made the archive and a size and SHA-256 for every other entry, each
     * matching the bytes that are really there; with disk storage the files are in it.
     */
    private static void assertManifestDescribesTheArchive(Path archive) throws Exception {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(archive.toFile())) {
            for (java.util.zip.ZipEntry entry : java.util.Collections.list(zip.entries())) {
                entries.put(entry.getName(), zip.getInputStream(entry).readAllBytes());
            }
        }
        JsonNode manifest = tools.jackson.databind.json.JsonMapper.builder().build().readTree(entries.get(BackupManifest.MANIFEST_ENTRY));
        assertThat(manifest.path("format").asString()).isEqualTo(BackupManifest.FORMAT);
        for (String version : List.of("confabVersion", "schemaVersion", "postgresServerVersion", "pgDumpVersion")) {
            assertThat(manifest.path(version).asString()).as(version).isNotBlank();
        }
        assertThat(manifest.path("storage").path("kind").asString()).isEqualTo("disk");
        List<JsonNode> listed = new ArrayList<>();
        listed.add(manifest.path("database"));
        manifest.path("files").forEach(listed::add);
        assertThat(manifest.path("files").size()).as("the uploaded images' renditions").isPositive();
        for (JsonNode entry : listed) {
            byte[] bytes = entries.get(entry.path("name").asString());
            assertThat(bytes).as(entry.path("name").asString()).isNotNull();
            assertThat(entry.path("bytes").asLong()).isEqualTo(bytes.length);
            assertThat(entry.path("sha256").asString()).isEqualTo(java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
        assertThat(listed).hasSize(entries.size() - 1);
    }

    /** A copy of the archive whose database dump has one byte changed (same size, same manifest). */
    private static Path damagedCopy(Path archive) throws Exception {
        Path damaged = archive.resolveSibling("damaged.backup");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(archive.toFile());
             java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(damaged))) {
            for (java.util.zip.ZipEntry entry : java.util.Collections.list(zip.entries())) {
                byte[] bytes = zip.getInputStream(entry).readAllBytes();
                if (entry.getName().equals(BackupManifest.DATABASE_ENTRY)) {
                    bytes[bytes.length / 2] ^= 0x5a;
                }
                out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        return damaged;
    }

    private static boolean isEmptyDirectory(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> children = Files.list(dir)) {
            return children.findAny().isEmpty();
        }
    }

    @Test
    void postgresOwnDumpAndRestoreWork() throws Exception {
        DataSourceConfig.PrimaryPool pool = original.bean(DataSourceConfig.PrimaryPool.class);
        PostgresConnection source = PostgresConnection.of(pool.pool().getJdbcUrl(), pool.pool().getUsername(), pool.pool().getPassword());
        PostgresPrograms programs = PostgresPrograms.find(System.getenv());
        long messages = count(source, "SELECT count(*) FROM messages");
        long searchable = count(source, "SELECT count(*) FROM messages WHERE search_vector @@ to_tsquery('english', 'picture')");
        assertThat(messages).isPositive();
        assertThat(searchable).isEqualTo(1);

        // pg_dump -Fc, then pg_restore --clean --if-exists --no-owner into another database.
        Path dump = Files.createTempFile("confab-plain-", ".dump");
        run(programs, source, "pg_dump", "-Fc", "--file=" + dump, "--dbname=" + source.libpqUri());
        PostgresConnection custom = freshDatabase(source, "restored_custom");
        run(programs, custom, "pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error",
                "--dbname=" + custom.libpqUri(), dump.toString());
        assertThat(count(custom, "SELECT count(*) FROM messages")).isEqualTo(messages);
        assertThat(count(custom, "SELECT count(*) FROM messages WHERE search_vector @@ to_tsquery('english', 'picture')"))
                .isEqualTo(searchable);

        // pg_dump | psql.
        Path script = Files.createTempFile("confab-plain-", ".sql");
        run(programs, source, "pg_dump", "--file=" + script, "--dbname=" + source.libpqUri());
        PostgresConnection plain = freshDatabase(source, "restored_plain");
        run(programs, plain, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--file=" + script, "--dbname=" + plain.libpqUri());
        assertThat(count(plain, "SELECT count(*) FROM messages")).isEqualTo(messages);

        // What both restores run with: an empty search_path. PostgreSQL 15 and later inline the
        // functions of the generated columns already at CREATE TABLE, so this is what failed there.
        for (PostgresConnection restored : List.of(custom, plain)) {
            try (Connection jdbc = restored.open(); Statement statement = jdbc.createStatement()) {
                statement.execute("SET search_path = ''");
                try (ResultSet result = statement.executeQuery("SELECT public.message_plain_text('&amp;lt; **b**')")) {
                    result.next();
                    assertThat(result.getString(1)).isEqualTo("&lt; b");
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private record Outcome(int exitCode, String output) {
    }

    private static Outcome command(Map<String, String> environment, String... args) {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.remove("DATABASE_URL");
        env.remove("S3_ENDPOINT");
        env.remove("S3_BUCKET");
        env.putAll(environment);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(captured, true, StandardCharsets.UTF_8);
        OptionalInt exit = ConfabCommands.run(args, env, stream, stream);
        assertThat(exit).as("%s is a verb", args[0]).isPresent();
        return new Outcome(exit.getAsInt(), captured.toString(StandardCharsets.UTF_8));
    }

    /** What each user sees: accounts, chat lists (with unread counts and read cursors), every message. */
    private Map<String, JsonNode> snapshot(Api api) {
        Map<String, JsonNode> seen = new LinkedHashMap<>();
        for (Users.TestUser user : List.of(alice, bob, carol)) {
            seen.put(user.username() + " me", ok(api.get("/api/users/me", user.token())));
            seen.put(user.username() + " chats", ok(api.get("/api/chats", user.token())));
            for (String chat : chatIds) {
                Api.Response messages = api.get("/api/chats/" + chat + "/messages?limit=100", user.token());
                if (messages.status() == 200) {
                    seen.put(user.username() + " messages " + chat, messages.body());
                }
            }
        }
        assertThat(seen.values().stream().filter(node -> node.path("data").isArray()).mapToInt(node -> node.path("data").size()).sum())
                .as("the snapshot sees data").isPositive();
        return seen;
    }

    private Map<String, byte[]> downloads(String baseUrl) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String id : attachmentIds) {
            for (String path : List.of("/api/attachments/" + id, "/api/attachments/" + id + "/thumbnail",
                    "/api/attachments/" + id + "/medium")) {
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .header("Authorization", "Bearer " + bob.token()).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(response.statusCode()).as(path).isEqualTo(200);
                files.put(path, response.body());
            }
        }
        return files;
    }

    private static JsonNode ok(Api.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.body();
    }

    private static JsonNode created(Api.Response response) {
        assertThat(response.status()).as(response.text()).isIn(200, 201);
        return response.body();
    }

    private static String send(Api api, Users.TestUser sender, String chatId, String content, List<String> attachments) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content", content);
        body.put("clientMessageId", UUID.randomUUID().toString());
        if (!attachments.isEmpty()) {
            body.put("attachmentIds", attachments);
        }
        JsonNode message = created(api.post("/api/chats/" + chatId + "/messages", sender.token(), body));
        return message.path("message").path("id").asString();
    }

    private String upload(Users.TestUser user, byte[] png) throws Exception {
        String boundary = "confab-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"images\"; filename=\"p.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(png);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(original.baseUrl() + "/api/attachments/upload"))
                .header("Authorization", "Bearer " + user.token())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Api.json().readTree(response.body()).path("attachments").get(0).path("id").asString();
    }

    private static byte[] png(Color color) throws Exception {
        BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(color);
        graphics.fillRect(0, 0, 400, 300);
        graphics.setColor(Color.WHITE);
        graphics.fillOval(100, 50, 200, 200);
        graphics.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static void run(PostgresPrograms programs, PostgresConnection connection, String program, String... args) {
        List<String> command = new ArrayList<>();
        command.add(programs.program(program).toString());
        command.addAll(List.of(args));
        PostgresPrograms.Result result = programs.run(command, connection.environment(), null);
        assertThat(result.exitCode()).as(program + " said: " + result.output()).isEqualTo(0);
        assertThat(result.output()).as(program).doesNotContain("ERROR");
    }

    private static PostgresConnection freshDatabase(PostgresConnection server, String name) throws Exception {
        try (Connection connection = server.open(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
            statement.execute("CREATE DATABASE " + name);
        }
        return server.withDatabase(name);
    }

    private static Long count(PostgresConnection connection, String sql) throws Exception {
        try (Connection jdbc = connection.open(); Statement statement = jdbc.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            Object value = result.getObject(1);
            return value instanceof Number number ? number.longValue() : null;
        }
    }
}
