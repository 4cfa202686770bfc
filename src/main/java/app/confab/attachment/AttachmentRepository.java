package app.confab.attachment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for attachments. Rows with deleted_at set are on their way out and invisible to everything but cleanup. */
@Repository
class AttachmentRepository {

    private static final String COLUMNS = """
            id, uploader_id, message_id, chat_id, file_name, file_type, size_bytes, width, height, storage_key,
            medium_key, medium_type, medium_size, medium_width, medium_height,
            thumbnail_key, thumbnail_type, thumbnail_size, thumbnail_width, thumbnail_height, created_at""";

    private final JdbcClient jdbc;

    AttachmentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(AttachmentRow row) {
        jdbc.sql("""
                INSERT INTO attachments (id, uploader_id, file_name, file_type, size_bytes, width, height, storage_key,
                    medium_key, medium_type, medium_size, medium_width, medium_height,
                    thumbnail_key, thumbnail_type, thumbnail_size, thumbnail_width, thumbnail_height, created_at)
                VALUES (:id, :uploaderId, :fileName, :fileType, :sizeBytes, :width, :height, :storageKey,
                    :mediumKey, :mediumType, :mediumSize, :mediumWidth, :mediumHeight,
                    :thumbnailKey, :thumbnailType, :thumbnailSize, :thumbnailWidth, :thumbnailHeight, :createdAt)
                """)
                .param("id", row.id())
                .param("uploaderId", row.uploaderId())
                .param("fileName", row.fileName())
                .param("fileType", row.original().contentType())
                .param("sizeBytes", row.original().size())
                .param("width", row.isImage() ? row.original().width() : null)
                .param("height", row.isImage() ? row.original().height() : null)
                .param("storageKey", row.original().key())
                .param("mediumKey", row.medium() == null ? null : row.medium().key())
                .param("mediumType", row.medium() == null ? null : row.medium().contentType())
                .param("mediumSize", row.medium() == null ? null : row.medium().size())
                .param("mediumWidth", row.medium() == null ? null : row.medium().width())
                .param("mediumHeight", row.medium() == null ? null : row.medium().height())
                .param("thumbnailKey", row.thumbnail() == null ? null : row.thumbnail().key())
                .param("thumbnailType", row.thumbnail() == null ? null : row.thumbnail().contentType())
                .param("thumbnailSize", row.thumbnail() == null ? null : row.thumbnail().size())
                .param("thumbnailWidth", row.thumbnail() == null ? null : row.thumbnail().width())
                .param("thumbnailHeight", row.thumbnail() == null ? null : row.thumbnail().height())
                .param("createdAt", Timestamp.from(row.createdAt()))
                .update();
    }

    Optional<AttachmentRow> find(UUID id) {
        return jdbc.sql("SELECT %s FROM attachments WHERE id = :id AND deleted_at IS NULL".formatted(COLUMNS))
                .param("id", id)
                .query(AttachmentRepository::map)
                .optional();
    }

    /**
     * The file as a signed link may serve it: not deleted and, once sent, in a chat that is not
     * deleted (a deleted chat's files are marked for cleanup only later, by a sweep).
     */
    Optional<AttachmentRow> findServable(UUID id) {
        return jdbc.sql("""
                SELECT %s FROM attachments a
                WHERE a.id = :id AND a.deleted_at IS NULL
                  AND (a.chat_id IS NULL OR EXISTS (SELECT 1 FROM chats c WHERE c.id = a.chat_id AND NOT c.is_deleted))
                """.formatted(COLUMNS))
                .param("id", id)
                .query(AttachmentRepository::map)
                .optional();
    }

    /** Bytes stored for the user's files that are not deleted (originals and derived sizes). */
    long storedBytes(UUID uploaderId) {
        return jdbc.sql("""
                SELECT COALESCE(SUM(size_bytes + COALESCE(medium_size, 0) + COALESCE(thumbnail_size, 0)), 0)
                FROM attachments WHERE uploader_id = :uploader AND deleted_at IS NULL
                """)
                .param("uploader", uploaderId)
                .query(Long.class)
                .single();
    }

    /** Locks the uploader's unattached uploads among these ids (inside the sending transaction) and returns their ids. */
    List<UUID> lockUnattached(UUID uploaderId, Collection<UUID> ids) {
        return jdbc.sql("""
                SELECT id FROM attachments
                WHERE id IN (:ids) AND uploader_id = :uploaderId AND message_id IS NULL AND deleted_at IS NULL
                FOR UPDATE
                """)
                .param("ids", ids)
                .param("uploaderId", uploaderId)
                .query(UUID.class)
                .list();
    }

    void link(UUID id, UUID messageId, UUID chatId, int sortOrder) {
        jdbc.sql("UPDATE attachments SET message_id = :messageId, chat_id = :chatId, sort_order = :sortOrder WHERE id = :id")
                .param("id", id)
                .param("messageId", messageId)
                .param("chatId", chatId)
                .param("sortOrder", sortOrder)
                .update();
    }

    List<AttachmentRow> findByMessages(Collection<UUID> messageIds) {
        return jdbc.sql("""
                SELECT %s FROM attachments
                WHERE message_id IN (:messageIds) AND deleted_at IS NULL
                ORDER BY message_id, sort_order, created_at
                """.formatted(COLUMNS))
                .param("messageIds", messageIds)
                .query(AttachmentRepository::map)
                .list();
    }

    /** Marks a message's attachments for removal; returns them. */
    List<AttachmentRow> markDeletedForMessage(UUID messageId, Instant now) {
        return jdbc.sql("""
                UPDATE attachments SET deleted_at = :now
                WHERE message_id = :messageId AND deleted_at IS NULL
                RETURNING %s
                """.formatted(COLUMNS))
                .param("messageId", messageId)
                .param("now", Timestamp.from(now))
                .query(AttachmentRepository::map)
                .list();
    }

    /** Marks one upload for removal, only while it is still unattached; false if it was attached meanwhile. */
    boolean markDeletedIfUnattached(UUID id, Instant now) {
        return jdbc.sql("""
                UPDATE attachments SET deleted_at = :now
                WHERE id = :id AND message_id IS NULL AND deleted_at IS NULL
                """)
                .param("id", id)
                .param("now", Timestamp.from(now))
                .update() == 1;
    }

    /** Marks uploads never attached since before the cutoff for removal; returns how many. */
    int markExpiredUploads(Instant cutoff, Instant now, int limit) {
        return jdbc.sql("""
                UPDATE attachments SET deleted_at = :now
                WHERE id IN (SELECT id FROM attachments
                             WHERE message_id IS NULL AND deleted_at IS NULL AND created_at < :cutoff
                             LIMIT :limit)
                """)
                .param("cutoff", Timestamp.from(cutoff))
                .param("now", Timestamp.from(now))
                .param("limit", limit)
                .update();
    }

    /** Marks the files of deleted chats for removal; returns how many. */
    int markFilesOfDeletedChats(Instant now, int limit) {
        return jdbc.sql("""
                UPDATE attachments SET deleted_at = :now
                WHERE id IN (SELECT a.id FROM attachments a JOIN chats c ON c.id = a.chat_id
                             WHERE c.is_deleted AND a.deleted_at IS NULL
                             LIMIT :limit)
                """)
                .param("now", Timestamp.from(now))
                .param("limit", limit)
                .update();
    }

    /** Rows marked for removal, whose objects are still to be deleted. */
    List<AttachmentRow> findMarkedDeleted(int limit) {
        return jdbc.sql("""
                SELECT %s FROM attachments WHERE deleted_at IS NOT NULL ORDER BY deleted_at LIMIT :limit
                """.formatted(COLUMNS))
                .param("limit", limit)
                .query(AttachmentRepository::map)
                .list();
    }

    void deleteRow(UUID id) {
        jdbc.sql("DELETE FROM attachments WHERE id = :id AND deleted_at IS NOT NULL")
                .param("id", id)
                .update();
    }

    private static AttachmentRow map(ResultSet rs, int rowNum) throws SQLException {
        return new AttachmentRow(
                rs.getObject("id", UUID.class),
                rs.getObject("uploader_id", UUID.class),
                rs.getObject("message_id", UUID.class),
                rs.getObject("chat_id", UUID.class),
                rs.getString("file_name"),
                new AttachmentRow.Rendition(rs.getString("storage_key"), rs.getString("file_type"),
                        rs.getLong("size_bytes"), rs.getInt("width"), rs.getInt("height")),
                rs.getString("medium_key") == null ? null
                        : new AttachmentRow.Rendition(rs.getString("medium_key"), rs.getString("medium_type"),
                        rs.getLong("medium_size"), rs.getInt("medium_width"), rs.getInt("medium_height")),
                rs.getString("thumbnail_key") == null ? null
                        : new AttachmentRow.Rendition(rs.getString("thumbnail_key"), rs.getString("thumbnail_type"),
                        rs.getLong("thumbnail_size"), rs.getInt("thumbnail_width"), rs.getInt("thumbnail_height")),
                rs.getTimestamp("created_at").toInstant());
    }
}
