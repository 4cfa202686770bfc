package app.confab.attachment;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for uploaded avatars: one square image per user. */
@Repository
class AvatarRepository {

    record StoredAvatar(UUID userId, String version, String key, String contentType, long sizeBytes) {
    }

    private final JdbcClient jdbc;

    AvatarRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<StoredAvatar> find(UUID userId) {
        return jdbc.sql("SELECT user_id, version, storage_key, content_type, size_bytes FROM user_avatars WHERE user_id = :user")
                .param("user", userId)
                .query((rs, row) -> new StoredAvatar(rs.getObject("user_id", UUID.class), rs.getString("version"),
                        rs.getString("storage_key"), rs.getString("content_type"), rs.getLong("size_bytes")))
                .optional();
    }

    /** Stores the new avatar and returns the key of the one it replaces, if any. */
    Optional<String> replace(StoredAvatar avatar) {
        Optional<String> previous = jdbc.sql("SELECT storage_key FROM user_avatars WHERE user_id = :user FOR UPDATE")
                .param("user", avatar.userId())
                .query(String.class)
                .optional();
        jdbc.sql("""
                INSERT INTO user_avatars (user_id, version, storage_key, content_type, size_bytes, updated_at)
                VALUES (:user, :version, :key, :type, :size, now())
                ON CONFLICT (user_id) DO UPDATE SET version = excluded.version, storage_key = excluded.storage_key,
                    content_type = excluded.content_type, size_bytes = excluded.size_bytes, updated_at = now()
                """)
                .param("user", avatar.userId())
                .param("version", avatar.version())
                .param("key", avatar.key())
                .param("type", avatar.contentType())
                .param("size", avatar.sizeBytes())
                .update();
        return previous;
    }
}
