package app.confab.presence;

import app.confab.membership.MembershipSql;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of presence and typing: users' statuses, who sees them, typists' names. */
@Repository
class PresenceRepository {

    private final JdbcClient jdbc;

    PresenceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<String> username(UUID userId) {
        return jdbc.sql("SELECT username FROM users WHERE id = :id").param("id", userId).query(String.class).optional();
    }

    /** Who sees a user's presence: the user, everyone sharing a chat with them, accepted contacts. */
    List<UUID> presenceAudience(UUID userId) {
        return jdbc.sql("""
                %s
                UNION
                SELECT contact_id FROM contacts WHERE user_id = :userId AND status = 'accepted'
                UNION
                SELECT CAST(:userId AS uuid)
                """.formatted(MembershipSql.chatMatesOf(":userId")))
                .param("userId", userId)
                .query(UUID.class)
                .list();
    }

    /** A status change as stored: the status before it, and last_seen after it. */
    record StatusChange(String previous, String status, Instant lastSeen) {
        boolean changed() {
            return !previous.equals(status);
        }
    }

    /** Sets the status; going offline records last_seen. Empty when the user does not exist. */
    Optional<StatusChange> setStatus(UUID userId, String status, Instant now) {
        return jdbc.sql("""
                WITH before AS (SELECT id, status FROM users WHERE id = :userId FOR UPDATE)
                UPDATE users u
                SET status = :status,
                    last_seen = CASE WHEN :status = 'offline' THEN :now ELSE u.last_seen END
                FROM before WHERE u.id = before.id
                RETURNING before.status AS previous, u.status, u.last_seen
                """)
                .param("userId", userId)
                .param("status", status)
                .param("now", Timestamp.from(now))
                .query((rs, rowNum) -> new StatusChange(rs.getString("previous"), rs.getString("status"),
                        rs.getTimestamp("last_seen") == null ? null : rs.getTimestamp("last_seen").toInstant()))
                .optional();
    }

    /** Marks an offline user online (an away user stays away). */
    Optional<StatusChange> comeOnline(UUID userId) {
        return jdbc.sql("""
                UPDATE users SET status = 'online' WHERE id = :userId AND status = 'offline'
                RETURNING 'offline' AS previous, status, last_seen
                """)
                .param("userId", userId)
                .query((rs, rowNum) -> new StatusChange(rs.getString("previous"), rs.getString("status"),
                        rs.getTimestamp("last_seen") == null ? null : rs.getTimestamp("last_seen").toInstant()))
                .optional();
    }

    List<UUID> usersNotOffline() {
        return jdbc.sql("SELECT id FROM users WHERE status <> 'offline'").query(UUID.class).list();
    }
}
