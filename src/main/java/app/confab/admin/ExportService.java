package app.confab.admin;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import app.confab.attachment.StoredFiles;
import app.confab.platform.ApiException;
import app.confab.platform.AuditLog;
import app.confab.platform.ConfabProperties;
import jakarta.annotation.PreDestroy;
import tools.jackson.databind.ObjectMapper;

/**
 * Data exports as background jobs: a zip of JSON Lines. The whole deployment (administrators):
 * {@code users.jsonl}, and per chat {@code chat.json}, {@code members.jsonl}, {@code messages.jsonl}
 * and its files. One user's own data: {@code profile.json}, {@code contacts.jsonl},
 * {@code chats.jsonl}, {@code messages.jsonl} (what they sent) and the files they uploaded. Deleted
 * messages are never exported, and only a message's current text. Finished archives live in
 * {@code DATA_DIR/exports} on the node that made them.
 */
@Service
class ExportService {

    private static final Logger log = LoggerFactory.getLogger(ExportService.class);

    private final JdbcClient jdbc;
    private final StoredFiles attachments;
    private final ObjectMapper json;
    private final AuditLog audit;
    private final Clock clock;
    private final Path directory;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    ExportService(JdbcClient jdbc, StoredFiles attachments, ObjectMapper json, AuditLog audit, Clock clock,
                  ConfabProperties properties) {
        this.jdbc = jdbc;
        this.attachments = attachments;
        this.json = json;
        this.audit = audit;
        this.clock = clock;
        this.directory = properties.dataDir().resolve("exports").toAbsolutePath();
    }

    record ExportJob(UUID id, String scope, String status, int doneItems, int totalItems, int progress,
                     Long sizeBytes, String error, Instant createdAt, Instant finishedAt, String downloadUrl) {
    }

    ExportJob start(UUID requester, String scope) {
        long running = jdbc.sql("""
                SELECT count(*) FROM export_jobs WHERE requested_by = :requester AND status IN ('queued', 'running')
                """).param("requester", requester).query(Long.class).single();
        if (running > 0) {
            throw ApiException.conflict("An export you started is still running; wait for it to finish");
        }
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO export_jobs (id, requested_by, scope, status, created_at) VALUES (:id, :requester, :scope, 'queued', :now)
                """)
                .param("id", id).param("requester", requester).param("scope", scope)
                .param("now", Timestamp.from(clock.instant()))
                .update();
        audit.store("export_started", requester, id, scope, null, null, Map.of("scope", scope));
        workers.submit(() -> run(id, requester, scope));
        return find(id, requester, scope).orElseThrow();
    }

    /** The job if it exists and (for a user's own export) is theirs; admins see every 'all' job. */
    Optional<ExportJob> find(UUID id, UUID requester, String scope) {
        return jdbc.sql("""
                SELECT id, scope, status, done_items, total_items, size_bytes, error, created_at, finished_at
                FROM export_jobs WHERE id = :id AND scope = :scope AND (:scope = 'all' OR requested_by = :requester)
                """)
                .param("id", id).param("scope", scope).param("requester", requester)
                .query((rs, n) -> job(rs))
                .optional();
    }

    List<ExportJob> list(String scope, UUID requester) {
        return jdbc.sql("""
                SELECT id, scope, status, done_items, total_items, size_bytes, error, created_at, finished_at
                FROM export_jobs WHERE scope = :scope AND (:scope = 'all' OR requested_by = :requester)
                ORDER BY created_at DESC LIMIT 50
                """)
                .param("scope", scope).param("requester", requester)
                .query((rs, n) -> job(rs))
                .list();
    }

    Path archive(ExportJob job) {
        Path file = directory.resolve(job.id() + ".zip");
        if (!"done".equals(job.status()) || !Files.isRegularFile(file)) {
            throw ApiException.notFound("Export archive");
        }
        return file;
    }

    private ExportJob job(java.sql.ResultSet rs) throws java.sql.SQLException {
        int done = rs.getInt("done_items");
        int total = rs.getInt("total_items");
        String status = rs.getString("status");
        int progress = "done".equals(status) ? 100 : total == 0 ? 0 : (int) Math.min(99, done * 100L / total);
        Timestamp finished = rs.getTimestamp("finished_at");
        UUID id = rs.getObject("id", UUID.class);
        String scope = rs.getString("scope");
        String download = !"done".equals(status) ? null
                : "all".equals(scope) ? "/api/admin/exports/" + id + "/download" : "/api/users/me/exports/" + id + "/download";
        return new ExportJob(id, scope, status, done, total, progress,
                (Long) rs.getObject("size_bytes"), rs.getString("error"), rs.getTimestamp("created_at").toInstant(),
                finished == null ? null : finished.toInstant(), download);
    }

    private void run(UUID id, UUID requester, String scope) {
        Path target = directory.resolve(id + ".zip");
        Path partial = directory.resolve(id + ".zip.part");
        try {
            Files.createDirectories(directory);
            jdbc.sql("UPDATE export_jobs SET status = 'running' WHERE id = :id").param("id", id).update();
            try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(partial)))) {
                if ("all".equals(scope)) {
                    exportAll(id, zip);
                } else {
                    exportUser(id, requester, zip);
                }
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            jdbc.sql("UPDATE export_jobs SET status = 'done', done_items = total_items, size_bytes = :size, finished_at = :now WHERE id = :id")
                    .param("id", id).param("size", Files.size(target)).param("now", Timestamp.from(clock.instant())).update();
        } catch (Exception e) {
            log.warn("Export {} failed", id, e);
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // nothing more to clean
            }
            jdbc.sql("UPDATE export_jobs SET status = 'failed', error = :error, finished_at = :now WHERE id = :id")
                    .param("id", id).param("error", "Export failed: " + e.getClass().getSimpleName())
                    .param("now", Timestamp.from(clock.instant())).update();
        }
    }

    private void exportAll(UUID jobId, ZipOutputStream zip) throws IOException {
        List<UUID> chats = jdbc.sql("SELECT id FROM chats WHERE NOT is_deleted ORDER BY created_at").query(UUID.class).list();
        setTotal(jobId, chats.size() + 1);
        lines(zip, "users.jsonl", "SELECT id, username, display_name AS \"displayName\", role, created_at AS \"createdAt\", "
                + "deactivated_at AS \"deactivatedAt\" FROM users ORDER BY created_at", Map.of());
        progress(jobId, 1);
        int done = 1;
        for (UUID chat : chats) {
            String prefix = "chats/" + chat + "/";
            lines(zip, prefix + "chat.json", "SELECT id, type, name, description, owner_id AS \"ownerId\", created_at AS \"createdAt\" "
                    + "FROM chats WHERE id = :chat", Map.of("chat", chat));
            lines(zip, prefix + "members.jsonl", "SELECT p.user_id AS \"userId\", u.username, p.role, p.joined_at AS \"joinedAt\", "
                    + "p.left_at AS \"leftAt\" FROM chat_participants p JOIN users u ON u.id = p.user_id WHERE p.chat_id = :chat "
                    + "ORDER BY p.joined_at", Map.of("chat", chat));
            lines(zip, prefix + "messages.jsonl", MESSAGES + " WHERE m.chat_id = :chat AND NOT m.is_deleted ORDER BY m.position",
                    Map.of("chat", chat));
            files(zip, prefix + "files/", "a.chat_id = :chat", Map.of("chat", chat));
            progress(jobId, ++done);
        }
    }

    private void exportUser(UUID jobId, UUID userId, ZipOutputStream zip) throws IOException {
        setTotal(jobId, 5);
        Map<String, Object> me = Map.of("user", userId);
        lines(zip, "profile.json", "SELECT id, username, display_name AS \"displayName\", avatar_url AS \"avatarUrl\", role, "
                + "created_at AS \"createdAt\" FROM users WHERE id = :user", me);
        progress(jobId, 1);
        lines(zip, "contacts.jsonl", "SELECT c.contact_id AS \"userId\", u.username, c.status, c.created_at AS \"createdAt\" "
                + "FROM contacts c JOIN users u ON u.id = c.contact_id WHERE c.user_id = :user ORDER BY c.created_at", me);
        progress(jobId, 2);
        lines(zip, "chats.jsonl", "SELECT c.id, c.type, c.name, p.role, p.joined_at AS \"joinedAt\", p.left_at AS \"leftAt\" "
                + "FROM chat_participants p JOIN chats c ON c.id = p.chat_id WHERE p.user_id = :user ORDER BY p.joined_at", me);
        progress(jobId, 3);
        lines(zip, "messages.jsonl", MESSAGES + " WHERE m.sender_id = :user AND NOT m.is_deleted ORDER BY m.position", me);
        progress(jobId, 4);
        files(zip, "files/", "a.uploader_id = :user", me);
    }

    private static final String MESSAGES = """
            SELECT m.id, m.chat_id AS "chatId", m.sender_id AS "senderId", u.username AS "senderUsername",
                   m.content, m.content_type AS "contentType", m.reply_to_id AS "replyToId", m.created_at AS "createdAt",
                   m.edited_at AS "editedAt",
                   (SELECT COALESCE(json_agg(a.id ORDER BY a.sort_order), '[]'::json) FROM attachments a
                     WHERE a.message_id = m.id AND a.deleted_at IS NULL) AS "attachmentIds"
            FROM messages m LEFT JOIN users u ON u.id = m.sender_id""";

    /** One JSON object per row (the rows made JSON by PostgreSQL), streamed into one zip entry. */
    private void lines(ZipOutputStream zip, String name, String select, Map<String, Object> params) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        var statement = jdbc.sql("SELECT row_to_json(r)::text FROM (" + select + ") r");
        for (Map.Entry<String, Object> param : params.entrySet()) {
            statement = statement.param(param.getKey(), param.getValue());
        }
        Consumer<String> write = line -> {
            try {
                zip.write(line.getBytes(StandardCharsets.UTF_8));
                zip.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        try (var rows = statement.query(String.class).stream()) {
            rows.forEach(write);
        }
        zip.closeEntry();
    }

    private record StoredFile(UUID id, String fileName, String key) {
    }

    private void files(ZipOutputStream zip, String prefix, String where, Map<String, Object> params) throws IOException {
        var statement = jdbc.sql("SELECT a.id, a.file_name, a.storage_key FROM attachments a WHERE a.deleted_at IS NULL "
                + "AND a.message_id IS NOT NULL AND " + where + " ORDER BY a.created_at");
        for (Map.Entry<String, Object> param : params.entrySet()) {
            statement = statement.param(param.getKey(), param.getValue());
        }
        List<StoredFile> files = statement.query((rs, n) -> new StoredFile(rs.getObject(1, UUID.class), rs.getString(2),
                rs.getString(3))).list();
        for (StoredFile file : files) {
            zip.putNextEntry(new ZipEntry(prefix + file.id() + "-" + safeName(file.fileName())));
            OutputStream entry = zip;
            if (!attachments.copyStored(file.key(), entry)) {
                log.warn("Export: file {} is missing from storage", file.id());
            }
            zip.closeEntry();
        }
    }

    private static String safeName(String name) {
        return name == null ? "file" : name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private void setTotal(UUID jobId, int total) {
        jdbc.sql("UPDATE export_jobs SET total_items = :total WHERE id = :id").param("id", jobId).param("total", total).update();
    }

    private void progress(UUID jobId, int done) {
        jdbc.sql("UPDATE export_jobs SET done_items = :done WHERE id = :id").param("id", jobId).param("done", done).update();
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

}
