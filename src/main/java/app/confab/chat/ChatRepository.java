package app.confab.chat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import app.confab.membership.ChatRole;

/** SQL for chats and their members. */
@Repository
class ChatRepository {

    /** A chats row with the calling user's view of it: role, activity, unread count, last message. */
    record ChatSummaryRow(UUID id, String type, String name, String slug, String description, String avatarUrl,
                          UUID ownerId, Instant createdAt, Instant updatedAt, ChatRole myRole, UUID lastMessageId,
                          Instant lastMessageAt, long activity, int participantCount, long unreadCount,
                          long mentionCount, String everyoneMentions,
                          String notificationLevel) {
    }

    private record ParticipantRow(UUID chatId, ParticipantView view) {
    }

    private final JdbcClient jdbc;

    ChatRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // Activity is the position of the newest visible message, or when the caller joined if that is
    // later: a chat someone adds you to comes to the top of your list. Positions are unique stream
    // positions, so activity orders a user's chats totally and works as the list cursor.
    private static final String SUMMARY = """
            SELECT * FROM (
                SELECT c.id, c.type, c.name, c.slug, c.description, c.avatar_url, c.owner_id, c.created_at,
                       c.updated_at, p.role, lm.id AS last_message_id, lm.created_at AS last_message_at,
                       GREATEST(COALESCE(lm.position, 0), p.joined_position) AS activity,
                       (SELECT count(*) FROM chat_participants cp
                        WHERE cp.chat_id = c.id AND cp.left_at IS NULL) AS participant_count,
                       (SELECT count(*) FROM messages um
                        WHERE um.chat_id = c.id AND NOT um.is_deleted AND um.position > p.last_read_position
                          AND um.sender_id IS DISTINCT FROM p.user_id
                          AND um.thread_root_id IS NULL AND um.content_type <> 'system') AS unread_count,
                       (SELECT count(*) FROM messages mm
                        WHERE mm.chat_id = c.id AND NOT mm.is_deleted AND mm.position > p.last_read_position
                          AND mm.sender_id IS DISTINCT FROM p.user_id
                          AND (mm.mentions @> ARRAY[p.user_id] OR mm.mentions_everyone)) AS mention_count,
                       c.everyone_mentions,
                       COALESCE(nl.level, np.default_level, 'all') AS notification_level
                FROM chat_participants p
                JOIN chats c ON c.id = p.chat_id AND NOT c.is_deleted
                LEFT JOIN LATERAL (
                    SELECT m.id, m.position, m.created_at FROM messages m
                    WHERE m.chat_id = c.id AND NOT m.is_deleted AND m.thread_root_id IS NULL
                    ORDER BY m.position DESC LIMIT 1
                ) lm ON TRUE
                LEFT JOIN chat_notification_levels nl ON nl.user_id = p.user_id AND nl.chat_id = p.chat_id
                LEFT JOIN notification_preferences np ON np.user_id = p.user_id
                WHERE p.user_id = :userId AND p.left_at IS NULL %s
            ) summary
            """;

    List<ChatSummaryRow> summariesForUser(UUID userId, long before, int limit) {
        return jdbc.sql(SUMMARY.formatted("") + " WHERE activity < :before ORDER BY activity DESC LIMIT :limit")
                .param("userId", userId)
                .param("before", before)
                .param("limit", limit)
                .query(ChatRepository::summary)
                .list();
    }

    Optional<ChatSummaryRow> summaryForUser(UUID userId, UUID chatId) {
        return jdbc.sql(SUMMARY.formatted("AND p.chat_id = :chatId"))
                .param("userId", userId)
                .param("chatId", chatId)
                .query(ChatRepository::summary)
                .optional();
    }

    private static ChatSummaryRow summary(ResultSet rs, int rowNum) throws SQLException {
        return new ChatSummaryRow(rs.getObject("id", UUID.class), rs.getString("type"), rs.getString("name"),
                rs.getString("slug"), rs.getString("description"), rs.getString("avatar_url"),
                rs.getObject("owner_id", UUID.class), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")), ChatRole.of(rs.getString("role")),
                rs.getObject("last_message_id", UUID.class), instant(rs.getTimestamp("last_message_at")),
                rs.getLong("activity"), rs.getInt("participant_count"), rs.getLong("unread_count"),
                rs.getLong("mention_count"), rs.getString("everyone_mentions"),
                rs.getString("notification_level"));
    }

    /** Active members of the given chats, owner first, then admins, then members, each by seniority. */
    Map<UUID, List<ParticipantView>> participants(Collection<UUID> chatIds) {
        Map<UUID, List<ParticipantView>> byChat = new LinkedHashMap<>();
        if (chatIds.isEmpty()) {
            return byChat;
        }
        jdbc.sql("""
                SELECT p.chat_id, p.user_id, p.role, p.joined_at, p.joined_position,
                       p.last_delivered_message_id, p.last_delivered_position, p.delivered_at,
                       p.last_read_message_id, p.last_read_position, p.read_at,
                       u.username, u.display_name, u.avatar_url, u.status, u.last_seen
                FROM chat_participants p JOIN users u ON u.id = p.user_id
                WHERE p.chat_id IN (:chatIds) AND p.left_at IS NULL
                ORDER BY p.chat_id, CASE p.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, p.joined_position
                """)
                .param("chatIds", chatIds)
                .query((rs, n) -> new ParticipantRow(rs.getObject("chat_id", UUID.class), participant(rs)))
                .list()
                .forEach(row -> byChat.computeIfAbsent(row.chatId(), id -> new ArrayList<>()).add(row.view()));
        return byChat;
    }

    private static ParticipantView participant(ResultSet rs) throws SQLException {
        UUID userId = rs.getObject("user_id", UUID.class);
        return new ParticipantView(userId,
                new ChatUser(userId, rs.getString("username"), rs.getString("display_name"),
                        rs.getString("avatar_url"), rs.getString("status"), instant(rs.getTimestamp("last_seen"))),
                ChatRole.of(rs.getString("role")), instant(rs.getTimestamp("joined_at")),
                rs.getObject("last_delivered_message_id", UUID.class), rs.getLong("last_delivered_position"),
                instant(rs.getTimestamp("delivered_at")),
                rs.getObject("last_read_message_id", UUID.class), rs.getLong("last_read_position"),
                instant(rs.getTimestamp("read_at")));
    }

    Optional<ChatUser> user(UUID id) {
        return jdbc.sql("SELECT id, username, display_name, avatar_url, status, last_seen FROM users WHERE id = :id")
                .param("id", id)
                .query(ChatRepository::user)
                .optional();
    }

    Optional<ChatUser> userByUsername(String username) {
        return jdbc.sql("""
                SELECT id, username, display_name, avatar_url, status, last_seen FROM users
                WHERE lower(username) = lower(:username)
                """)
                .param("username", username)
                .query(ChatRepository::user)
                .optional();
    }

    Map<UUID, ChatUser> users(Collection<UUID> ids) {
        Map<UUID, ChatUser> found = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.sql("SELECT id, username, display_name, avatar_url, status, last_seen FROM users WHERE id IN (:ids)")
                .param("ids", ids)
                .query(ChatRepository::user)
                .list()
                .forEach(user -> found.put(user.id(), user));
        return found;
    }

    private static ChatUser user(ResultSet rs, int rowNum) throws SQLException {
        return new ChatUser(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("display_name"),
                rs.getString("avatar_url"), rs.getString("status"), instant(rs.getTimestamp("last_seen")));
    }

    Optional<UUID> directChat(String directKey) {
        return jdbc.sql("SELECT id FROM chats WHERE direct_key = :key AND NOT is_deleted")
                .param("key", directKey)
                .query(UUID.class)
                .optional();
    }

    Optional<UUID> chatIdBySlug(String slug) {
        return jdbc.sql("SELECT id FROM chats WHERE lower(slug) = lower(:slug) AND NOT is_deleted")
                .param("slug", slug)
                .query(UUID.class)
                .optional();
    }

    boolean slugTaken(String slug, UUID exceptChatId) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM chats WHERE lower(slug) = lower(:slug) AND NOT is_deleted
                               AND (CAST(:except AS uuid) IS NULL OR id <> :except))
                """)
                .param("slug", slug)
                .param("except", exceptChatId)
                .query(Boolean.class)
                .single();
    }

    void insertChat(UUID id, String type, String name, String slug, String description, UUID ownerId,
                    String directKey, Instant now) {
        jdbc.sql("""
                INSERT INTO chats (id, type, name, slug, description, owner_id, direct_key, created_at, updated_at)
                VALUES (:id, :type, :name, :slug, :description, :ownerId, :directKey, :now, :now)
                """)
                .param("id", id)
                .param("type", type)
                .param("name", name)
                .param("slug", slug)
                .param("description", description)
                .param("ownerId", ownerId)
                .param("directKey", directKey)
                .param("now", Timestamp.from(now))
                .update();
    }

    /**
     * Makes the user an active member from stream position {@code position} on. A former member who
     * is added again gets a fresh membership window; their read cursor starts at the join, so older
     * messages do not count as unread.
     */
    void join(UUID chatId, UUID userId, ChatRole role, long position, Instant now) {
        jdbc.sql("""
                INSERT INTO chat_participants (chat_id, user_id, role, joined_at, joined_position,
                                               last_delivered_position, last_read_position)
                VALUES (:chatId, :userId, :role, :now, :position, :position, :position)
                ON CONFLICT (chat_id, user_id) DO UPDATE SET
                    role = EXCLUDED.role, joined_at = EXCLUDED.joined_at, joined_position = EXCLUDED.joined_position,
                    left_at = NULL, left_position = NULL,
                    last_delivered_position = EXCLUDED.last_delivered_position, last_delivered_message_id = NULL,
                    delivered_at = NULL,
                    last_read_position = EXCLUDED.last_read_position, last_read_message_id = NULL, read_at = NULL
                """)
                .param("chatId", chatId)
                .param("userId", userId)
                .param("role", role.value())
                .param("now", Timestamp.from(now))
                .param("position", position)
                .update();
    }

    /** Ends a membership at stream position {@code position} (the participant:left event). */
    boolean leave(UUID chatId, UUID userId, long position, Instant now) {
        return jdbc.sql("""
                UPDATE chat_participants SET left_at = :now, left_position = :position
                WHERE chat_id = :chatId AND user_id = :userId AND left_at IS NULL
                """)
                .param("chatId", chatId)
                .param("userId", userId)
                .param("position", position)
                .param("now", Timestamp.from(now))
                .update() == 1;
    }

    Set<UUID> activeMemberIds(UUID chatId) {
        return Set.copyOf(jdbc.sql("SELECT user_id FROM chat_participants WHERE chat_id = :chatId AND left_at IS NULL")
                .param("chatId", chatId)
                .query(UUID.class)
                .list());
    }

    Optional<ChatRole> activeRole(UUID chatId, UUID userId) {
        return jdbc.sql("""
                SELECT role FROM chat_participants WHERE chat_id = :chatId AND user_id = :userId AND left_at IS NULL
                """)
                .param("chatId", chatId)
                .param("userId", userId)
                .query(String.class)
                .optional()
                .map(ChatRole::of);
    }

    /** Who inherits a group from a leaving owner: the longest-standing admin, else the longest-standing member. */
    Optional<UUID> successor(UUID chatId) {
        return jdbc.sql("""
                SELECT user_id FROM chat_participants WHERE chat_id = :chatId AND left_at IS NULL
                ORDER BY CASE role WHEN 'admin' THEN 0 ELSE 1 END, joined_position
                LIMIT 1
                """)
                .param("chatId", chatId)
                .query(UUID.class)
                .optional();
    }

    void setRole(UUID chatId, UUID userId, ChatRole role) {
        jdbc.sql("UPDATE chat_participants SET role = :role WHERE chat_id = :chatId AND user_id = :userId AND left_at IS NULL")
                .param("chatId", chatId)
                .param("userId", userId)
                .param("role", role.value())
                .update();
    }

    void setOwner(UUID chatId, UUID ownerId, Instant now) {
        jdbc.sql("UPDATE chats SET owner_id = :ownerId, updated_at = :now WHERE id = :chatId")
                .param("chatId", chatId)
                .param("ownerId", ownerId)
                .param("now", Timestamp.from(now))
                .update();
    }

    void update(UUID chatId, String name, String slug, String description, Instant now) {
        jdbc.sql("""
                UPDATE chats SET name = :name, slug = :slug, description = :description, updated_at = :now
                WHERE id = :chatId
                """)
                .param("chatId", chatId)
                .param("name", name)
                .param("slug", slug)
                .param("description", description)
                .param("now", Timestamp.from(now))
                .update();
    }

    void setEveryoneMentions(UUID chatId, String who) {
        jdbc.sql("UPDATE chats SET everyone_mentions = :who WHERE id = :chatId")
                .param("chatId", chatId)
                .param("who", who)
                .update();
    }

    /** Soft delete. A deleted direct chat gives up its pair key, so the pair can start a new one. */
    void markDeleted(UUID chatId, Instant now) {
        jdbc.sql("""
                UPDATE chats SET is_deleted = TRUE, deleted_at = :now, updated_at = :now, direct_key = NULL
                WHERE id = :chatId
                """)
                .param("chatId", chatId)
                .param("now", Timestamp.from(now))
                .update();
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
