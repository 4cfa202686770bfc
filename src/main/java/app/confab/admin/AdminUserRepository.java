package app.confab.admin;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The administrator's view of accounts: with role, status, activity and usage. */
@Repository
class AdminUserRepository {

    record AdminUserRow(UUID id, String username, String displayName, String role, String status, Instant createdAt,
                        Instant lastSeen, Instant deactivatedAt, long messageCount, long storageUsedBytes) {
    }

    private final JdbcClient jdbc;

    AdminUserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static final String SELECT = """
            SELECT u.id, u.username, u.display_name, u.role, u.created_at, u.last_seen, u.deactivated_at,
                   (SELECT count(*) FROM messages m WHERE m.sender_id = u.id AND NOT m.is_deleted) AS message_count,
                   (SELECT COALESCE(sum(a.size_bytes + COALESCE(a.medium_size, 0) + COALESCE(a.thumbnail_size, 0)), 0)
                      FROM attachments a WHERE a.uploader_id = u.id AND a.deleted_at IS NULL) AS storage_used
            FROM users u
            """;

    java.util.Optional<AdminUserRow> find(UUID id) {
        return jdbc.sql(SELECT + " WHERE u.id = :id").param("id", id).query(AdminUserRepository::map).optional();
    }

    /** {@code status}: null, "active" or "deactivated". Username order after {@code after} (lower-cased). */
    List<AdminUserRow> list(String query, String status, String after, int limit) {
        String pattern = query == null ? "%" : "%" + escapeLike(query.toLowerCase(java.util.Locale.ROOT)) + "%";
        return jdbc.sql(SELECT + """
                WHERE (lower(u.username) LIKE :pattern ESCAPE '\\' OR lower(u.display_name) LIKE :pattern ESCAPE '\\')
                  AND (:status = '' OR (:status = 'active' AND u.deactivated_at IS NULL)
                                    OR (:status = 'deactivated' AND u.deactivated_at IS NOT NULL))
                  AND lower(u.username) COLLATE "C" > :after
                ORDER BY lower(u.username) COLLATE "C"
                LIMIT :limit
                """)
                .param("pattern", pattern)
                .param("status", status == null ? "" : status)
                .param("after", after == null ? "" : after)
                .param("limit", limit)
                .query(AdminUserRepository::map)
                .list();
    }

    private static AdminUserRow map(java.sql.ResultSet rs, int rowNum) throws java.sql.SQLException {
        Timestamp deactivated = rs.getTimestamp("deactivated_at");
        Timestamp lastSeen = rs.getTimestamp("last_seen");
        return new AdminUserRow(rs.getObject("id", UUID.class), rs.getString("username"),
                rs.getString("display_name"), rs.getString("role"),
                deactivated == null ? "active" : "deactivated", rs.getTimestamp("created_at").toInstant(),
                lastSeen == null ? null : lastSeen.toInstant(),
                deactivated == null ? null : deactivated.toInstant(),
                rs.getLong("message_count"), rs.getLong("storage_used"));
    }

    /** Serializes changes to roles and status, so two admins cannot remove the last admin together. */
    void lockAdminChanges() {
        jdbc.sql("SELECT pg_advisory_xact_lock(4013002)").query((rs, n) -> 1).list();
    }

    long activeAdmins() {
        return jdbc.sql("SELECT count(*) FROM users WHERE role = 'admin' AND deactivated_at IS NULL")
                .query(Long.class).single();
    }

    void setDeactivated(UUID id, Instant at) {
        jdbc.sql("UPDATE users SET deactivated_at = :at, updated_at = now() WHERE id = :id")
                .param("id", id)
                .param("at", at == null ? null : Timestamp.from(at))
                .update();
    }

    void setRole(UUID id, String role) {
        jdbc.sql("UPDATE users SET role = :role, updated_at = now() WHERE id = :id")
                .param("id", id)
                .param("role", role)
                .update();
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
