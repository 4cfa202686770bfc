package app.confab.delivery;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import app.confab.membership.MembershipSql;

/** The SQL of the real-time layer: membership look-ups, presence, delivered cursors. */
@Repository
class DeliveryRepository {

    private final JdbcClient jdbc;

    DeliveryRepository(JdbcClient jdbc) {
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

    record DeliveredCursor(UUID chatId, UUID userId, long position, UUID messageId) {
    }

    /**
     * Moves delivered cursors forward (never back) in one statement; returns those that moved.
     */
    List<DeliveredCursor> advanceDelivered(List<DeliveredCursor> cursors, Instant now) {
        int n = cursors.size();
        UUID[] chatIds = new UUID[n];
        UUID[] userIds = new UUID[n];
        Long[] positions = new Long[n];
        UUID[] messageIds = new UUID[n];
        for (int i = 0; i < n; i++) {
            DeliveredCursor cursor = cursors.get(i);
            chatIds[i] = cursor.chatId();
            userIds[i] = cursor.userId();
            positions[i] = cursor.position();
            messageIds[i] = cursor.messageId();
        }
        return jdbc.sql("""
                UPDATE chat_participants p
                SET last_delivered_position = v.position, last_delivered_message_id = v.message_id, delivered_at = :now
                FROM unnest(CAST(:chatIds AS uuid[]), CAST(:userIds AS uuid[]), CAST(:positions AS bigint[]),
                            CAST(:messageIds AS uuid[])) AS v(chat_id, user_id, position, message_id)
                WHERE p.chat_id = v.chat_id AND p.user_id = v.user_id AND p.last_delivered_position < v.position
                RETURNING p.chat_id, p.user_id, v.position, v.message_id
                """)
                .param("chatIds", chatIds)
                .param("userIds", userIds)
                .param("positions", positions)
                .param("messageIds", messageIds)
                .param("now", Timestamp.from(now))
                .query((rs, rowNum) -> new DeliveredCursor(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getLong(3), rs.getObject(4, UUID.class)))
                .list();
    }
}
