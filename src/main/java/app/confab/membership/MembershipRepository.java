package app.confab.membership;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of active membership: who is in a chat now, and as what. */
@Repository
class MembershipRepository {

    private final JdbcClient jdbc;

    MembershipRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Membership> membership(UUID chatId, UUID userId) {
        return jdbc.sql("""
                SELECT c.id, c.type, c.owner_id, c.direct_key, p.user_id, p.role, p.joined_position,
                       p.last_read_position, p.last_delivered_position
                FROM chat_participants p JOIN chats c ON c.id = p.chat_id
                WHERE p.chat_id = :chatId AND p.user_id = :userId AND p.left_at IS NULL AND NOT c.is_deleted
                """)
                .param("chatId", chatId)
                .param("userId", userId)
                .query((rs, n) -> new Membership(rs.getObject("id", UUID.class), rs.getString("type"),
                        rs.getObject("owner_id", UUID.class), rs.getString("direct_key"),
                        rs.getObject("user_id", UUID.class), ChatRole.of(rs.getString("role")),
                        rs.getLong("joined_position"), rs.getLong("last_read_position"),
                        rs.getLong("last_delivered_position")))
                .optional();
    }

    boolean isActiveMember(UUID chatId, UUID userId) {
        return jdbc.sql("SELECT " + MembershipSql.isActiveMember(":chatId", ":userId"))
                .param("chatId", chatId)
                .param("userId", userId)
                .query(Boolean.class)
                .single();
    }

    /** Chats the user is an active member of, deleted chats left out. */
    List<UUID> visibleChats(UUID userId) {
        return jdbc.sql("""
                SELECT p.chat_id FROM chat_participants p JOIN chats c ON c.id = p.chat_id
                WHERE p.user_id = :userId AND p.left_at IS NULL AND NOT c.is_deleted
                """)
                .param("userId", userId)
                .query(UUID.class)
                .list();
    }

    List<UUID> activeMembers(UUID chatId) {
        return jdbc.sql("SELECT user_id FROM chat_participants WHERE chat_id = :chatId AND left_at IS NULL")
                .param("chatId", chatId)
                .query(UUID.class)
                .list();
    }

    Map<UUID, List<UUID>> activeMembers(List<UUID> chatIds) {
        Map<UUID, List<UUID>> members = new HashMap<>();
        jdbc.sql(MembershipSql.activeMembersOf("CAST(:chatIds AS uuid[])"))
                .param("chatIds", chatIds.toArray(UUID[]::new))
                .query(rs -> {
                    members.computeIfAbsent(rs.getObject(1, UUID.class), ignored -> new ArrayList<>())
                            .add(rs.getObject(2, UUID.class));
                });
        return members;
    }
}
