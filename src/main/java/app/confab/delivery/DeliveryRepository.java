package app.confab.delivery;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** The SQL of the real-time transport: delivered cursors (presence has its own, PresenceRepository). */
@Repository
class DeliveryRepository {

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    DeliveryRepository(JdbcClient jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    record DeliveredCursor(UUID chatId, UUID userId, long position, UUID messageId) {
    }

    /**
     * Moves delivered cursors forward (never back) in one statement; returns those that moved. Its
     * transaction commits without waiting for the disk ({@code SET LOCAL synchronous_commit = off}):
     * a crash may undo the last cursor moves, never a message, and a message's commit never queues
     * behind this one's flush.
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
        return transaction.execute(status -> {
            jdbc.sql("SET LOCAL synchronous_commit = off").update();
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
        });
    }
}
