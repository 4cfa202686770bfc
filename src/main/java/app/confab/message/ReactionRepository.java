package app.confab.message;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import app.confab.protocol.MessageView;

/** SQL for message reactions. */
@Repository
class ReactionRepository {

    private static final String SELECT = """
            SELECT r.id, r.message_id, r.user_id, u.username, r.emoji, r.created_at
            FROM message_reactions r JOIN users u ON u.id = r.user_id
            """;

    private final JdbcClient jdbc;

    ReactionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Reactions of each message grouped by emoji, groups and users in the order reactions came. */
    Map<UUID, List<MessageView.ReactionGroup>> grouped(Collection<UUID> messageIds) {
        Map<UUID, Map<String, List<UUID>>> byMessage = new HashMap<>();
        if (!messageIds.isEmpty()) {
            jdbc.sql("""
                    SELECT message_id, emoji, user_id FROM message_reactions
                    WHERE message_id IN (:ids) ORDER BY message_id, created_at, id
                    """)
                    .param("ids", messageIds)
                    .query(rs -> {
                        byMessage.computeIfAbsent(rs.getObject("message_id", UUID.class), id -> new LinkedHashMap<>())
                                .computeIfAbsent(rs.getString("emoji"), emoji -> new ArrayList<>())
                                .add(rs.getObject("user_id", UUID.class));
                    });
        }
        Map<UUID, List<MessageView.ReactionGroup>> grouped = new HashMap<>();
        byMessage.forEach((messageId, byEmoji) -> {
            List<MessageView.ReactionGroup> groups = new ArrayList<>();
            byEmoji.forEach((emoji, users) -> groups.add(new MessageView.ReactionGroup(emoji, users.size(), List.copyOf(users))));
            grouped.put(messageId, groups);
        });
        return grouped;
    }

    /** Adds the reaction if the message is not deleted and the user has not given this emoji yet. */
    Optional<UUID> insert(UUID messageId, UUID userId, String emoji, Instant now) {
        return jdbc.sql("""
                INSERT INTO message_reactions (message_id, user_id, emoji, created_at)
                SELECT :messageId, :userId, :emoji, :now
                WHERE EXISTS (SELECT 1 FROM messages WHERE id = :messageId AND NOT is_deleted)
                ON CONFLICT (message_id, user_id, emoji) DO NOTHING
                RETURNING id
                """)
                .param("messageId", messageId)
                .param("userId", userId)
                .param("emoji", emoji)
                .param("now", Timestamp.from(now))
                .query(UUID.class)
                .optional();
    }

    Optional<ReactionView> find(UUID id) {
        return jdbc.sql(SELECT + " WHERE r.id = :id")
                .param("id", id)
                .query(ReactionRepository::map)
                .optional();
    }

    Optional<ReactionView> find(UUID messageId, UUID userId, String emoji) {
        return jdbc.sql(SELECT + " WHERE r.message_id = :messageId AND r.user_id = :userId AND r.emoji = :emoji")
                .param("messageId", messageId)
                .param("userId", userId)
                .param("emoji", emoji)
                .query(ReactionRepository::map)
                .optional();
    }

    boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM message_reactions WHERE id = :id").param("id", id).update() == 1;
    }

    private static ReactionView map(ResultSet rs, int rowNum) throws SQLException {
        return new ReactionView(rs.getObject("id", UUID.class), rs.getObject("message_id", UUID.class),
                rs.getObject("user_id", UUID.class), rs.getString("username"), rs.getString("emoji"),
                rs.getTimestamp("created_at").toInstant());
    }
}
