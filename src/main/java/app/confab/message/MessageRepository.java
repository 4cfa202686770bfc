package app.confab.message;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import app.confab.contact.ContactSql;
import app.confab.stream.EventStore;
import app.confab.membership.MembershipSql;
import app.confab.platform.ReplicaJdbc;
import app.confab.protocol.MessageView;

/** SQL for messages and for the members' read and delivery cursors. */
@Repository
class MessageRepository {

    private static final String SELECT = """
            SELECT m.id, m.chat_id, m.sender_id, m.position, m.client_message_id, m.content, m.content_type,
                   m.metadata::text AS metadata, m.reply_to_id, m.is_edited, m.edited_at, m.is_deleted, m.created_at,
                   m.mentions, m.mentions_everyone, m.thread_root_id, m.system_event::text AS system_event,
                   m.link_preview::text AS link_preview,
                   u.username, u.display_name, u.avatar_url,
                   r.id AS r_id, r.sender_id AS r_sender_id, r.content AS r_content, r.content_type AS r_content_type,
                   r.is_deleted AS r_is_deleted, r.created_at AS r_created_at,
                   ru.username AS r_username, ru.display_name AS r_display_name
            FROM messages m
            LEFT JOIN users u ON u.id = m.sender_id
            LEFT JOIN messages r ON r.id = m.reply_to_id
            LEFT JOIN users ru ON ru.id = r.sender_id
            """;

    private final JdbcClient jdbc;
    private final ReplicaJdbc replica;

    MessageRepository(JdbcClient jdbc, ReplicaJdbc replica) {
        this.jdbc = jdbc;
        this.replica = replica;
    }

    /** The message, deleted or not. */
    Optional<MessageRow> find(UUID id) {
        return jdbc.sql(SELECT + " WHERE m.id = :id")
                .param("id", id)
                .query(MessageRepository::map)
                .optional();
    }

    /** The messages that are not deleted among these ids. */
    List<MessageRow> findVisible(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(SELECT + " WHERE m.id IN (:ids) AND NOT m.is_deleted")
                .param("ids", ids)
                .query(MessageRepository::map)
                .list();
    }

    /** The messages (deleted or not) that reply to any of these. */
    List<UUID> repliesTo(Collection<UUID> ids) {
        return jdbc.sql("SELECT id FROM messages WHERE reply_to_id = ANY(:ids)")
                .param("ids", ids.toArray(UUID[]::new))
                .query(UUID.class)
                .list();
    }

    Optional<MessageRow> findByClientId(UUID senderId, String clientMessageId) {
        return jdbc.sql(SELECT + " WHERE m.sender_id = :senderId AND m.client_message_id = :clientMessageId")
                .param("senderId", senderId)
                .param("clientMessageId", clientMessageId)
                .query(MessageRepository::map)
                .optional();
    }

    // History pages may come from the read replica (DATABASE_REPLICA_URL) when it is fresh and the
    // reader has not just written; see ReplicaJdbc. Single-message lookups stay on the primary.

    /** Visible messages before a position, newest first. */
    List<MessageRow> before(UUID reader, UUID chatId, long position, int limit) {
        return replica.forRead(reader).sql(SELECT + """
                 WHERE m.chat_id = :chatId AND NOT m.is_deleted AND m.position < :position
                   AND m.thread_root_id IS NULL
                 ORDER BY m.position DESC LIMIT :limit
                """)
                .param("chatId", chatId)
                .param("position", position)
                .param("limit", limit)
                .query(MessageRepository::map)
                .list();
    }

    /** Visible messages after a position, oldest first. */
    List<MessageRow> after(UUID reader, UUID chatId, long position, int limit) {
        return replica.forRead(reader).sql(SELECT + """
                 WHERE m.chat_id = :chatId AND NOT m.is_deleted AND m.position > :position
                   AND m.thread_root_id IS NULL
                 ORDER BY m.position LIMIT :limit
                """)
                .param("chatId", chatId)
                .param("position", position)
                .param("limit", limit)
                .query(MessageRepository::map)
                .list();
    }

    boolean anyBefore(UUID reader, UUID chatId, long position) {
        return replica.forRead(reader).sql("""
                SELECT EXISTS (SELECT 1 FROM messages WHERE chat_id = :chatId AND NOT is_deleted AND position < :position
                              AND thread_root_id IS NULL)
                """)
                .param("chatId", chatId)
                .param("position", position)
                .query(Boolean.class)
                .single();
    }

    boolean anyAfter(UUID reader, UUID chatId, long position) {
        return replica.forRead(reader).sql("""
                SELECT EXISTS (SELECT 1 FROM messages WHERE chat_id = :chatId AND NOT is_deleted AND position > :position
                              AND thread_root_id IS NULL)
                """)
                .param("chatId", chatId)
                .param("position", position)
                .query(Boolean.class)
                .single();
    }

    /** What the insert of a new message returns: its position, its time and its sender's name for the view. */
    record Stored(long position, Instant createdAt, String senderUsername, String senderDisplayName,
                  String senderAvatarUrl) {
    }

    /** The parameters of {@link #insertAll}, one array per column, with their SQL array types. */
    private static final List<String> INSERT_COLUMNS = List.of("ids AS uuid[]", "chatIds AS uuid[]",
            "senderIds AS uuid[]", "clientIds AS text[]", "contents AS text[]", "contentTypes AS text[]",
            "metadata AS text[]", "replyToIds AS uuid[]", "createdMicros AS bigint[]", "mentions AS text[]",
            "everyone AS boolean[]", "threadRootIds AS uuid[]");

    /** A batch's rows, in its order. */
    private static final String ROWS = INSERT_COLUMNS.stream().map(column -> "CAST(:" + column + ")")
            .collect(Collectors.joining(", ", "unnest(", ") WITH ORDINALITY"));

    /**
     * A batch of one, the common case below a few hundred sends a second: the same parameters read
     * as a single row, since {@code unnest … WITH ORDINALITY} cost the database ~0.4 ms more per
     * message at one message per batch (docs/PERFORMANCE.md).
     */
    private static final String ONE_ROW = INSERT_COLUMNS.stream().map(column -> "(CAST(:" + column + "))[1]")
            .collect(Collectors.joining(", ", "(VALUES (", ", CAST(1 AS bigint)))"));

    /**
     * {@link #insertAll}'s statement: its rows come from {@code %1$s}, the membership condition is
     * {@code %2$s}, the position {@code %3$s}; {@code %4$s} is the other member of a direct chat, and
     * {@code %5$s} whether a block stands between them. Formatted once per row source, not per batch.
     */
    private static final String INSERT_TEMPLATE = """
            WITH accepted AS (
                SELECT r.*
                FROM %1$s
                     AS r(id, chat_id, sender_id, client_message_id, content, content_type, metadata,
                          reply_to_id, created_micros, mentions, mentions_everyone, thread_root_id, ord)
                WHERE %2$s
                  AND NOT EXISTS (SELECT 1 FROM (%4$s) AS peer(user_id) WHERE %5$s)
                  AND (r.client_message_id IS NULL OR NOT EXISTS (
                          SELECT 1 FROM messages earlier
                          WHERE earlier.sender_id = r.sender_id AND earlier.client_message_id = r.client_message_id))
                ORDER BY r.ord
            )
            INSERT INTO messages (
                id,
                chat_id,
                sender_id,
                position,
                client_message_id,
                content,
                content_type,
                metadata,
                reply_to_id,
                created_at,
                mentions,
                mentions_everyone,
                thread_root_id)
            SELECT
                id,
                chat_id,
                sender_id,
                %3$s,
                client_message_id,
                content,
                content_type,
                CAST(metadata AS jsonb),
                reply_to_id,
                TIMESTAMPTZ 'epoch' + created_micros * INTERVAL '1 microsecond',
                CAST(mentions AS uuid[]),
                mentions_everyone,
                thread_root_id
            FROM accepted
            ORDER BY ord
            ON CONFLICT (sender_id, client_message_id) WHERE client_message_id IS NOT NULL DO NOTHING
            RETURNING id, position, created_at,
                      (SELECT u.username FROM users u WHERE u.id = sender_id) AS sender_username,
                      (SELECT u.display_name FROM users u WHERE u.id = sender_id) AS sender_display_name,
                      (SELECT u.avatar_url FROM users u WHERE u.id = sender_id) AS sender_avatar_url
            """;

    private static final String INSERT_ROWS = insertStatement(ROWS);
    private static final String INSERT_ONE_ROW = insertStatement(ONE_ROW);

    private static String insertStatement(String rows) {
        return INSERT_TEMPLATE.formatted(rows, MembershipSql.isActiveMember("r.chat_id", "r.sender_id"),
                EventStore.NEXT_POSITION, MembershipSql.otherDirectMember("r.chat_id", "r.sender_id"),
                ContactSql.isBlockedEitherWay("r.sender_id", "peer.user_id"));
    }

    /** A message to insert: one row of {@link #insertAll}. */
    record NewMessage(UUID id, UUID chatId, UUID senderId, String clientMessageId, String content,
                      String contentType, String metadata, UUID replyToId, Instant createdAt,
                      Mentions.Parsed mentions, UUID threadRootId) {
    }

    /**
     * Inserts a group-commit batch's new messages in one {@code INSERT … SELECT FROM unnest(…)},
     * each taking its stream position in the same statement, in the batch's order (the caller holds
     * the stream lock: {@code EventStore.beginAppend()}); returns each sender's name with it, so a
     * send needs no separate position or user read. A row is skipped, with no position taken, when
     * its sender is not an active member of a live chat, is blocked by or has blocked its direct
     * chat's other member, or already sent its {@code clientMessageId}
     * (checked before the position is taken, so neither leaves a gap; the unique index stays the
     * backstop, for two rows of one batch with the same id). One round trip whatever the batch's
     * size: the stream's serial section grows by nothing per message for its inserts.
     *
     * @return for each row, in order, what was stored, or null when it was skipped
     */
    List<Stored> insertAll(List<NewMessage> rows) {
        int n = rows.size();
        UUID[] ids = new UUID[n];
        UUID[] chatIds = new UUID[n];
        UUID[] senderIds = new UUID[n];
        String[] clientIds = new String[n];
        String[] contents = new String[n];
        String[] contentTypes = new String[n];
        String[] metadata = new String[n];
        UUID[] replyToIds = new UUID[n];
        Long[] createdMicros = new Long[n];
        String[] mentions = new String[n];
        Boolean[] everyone = new Boolean[n];
        UUID[] threadRootIds = new UUID[n];
        for (int i = 0; i < n; i++) {
            NewMessage row = rows.get(i);
            ids[i] = row.id();
            chatIds[i] = row.chatId();
            senderIds[i] = row.senderId();
            clientIds[i] = row.clientMessageId();
            contents[i] = row.content();
            contentTypes[i] = row.contentType();
            metadata[i] = row.metadata();
            replyToIds[i] = row.replyToId();
            Instant at = row.createdAt();
            createdMicros[i] = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
            // An array literal per row: unnest cannot take a ragged uuid[][].
            mentions[i] = row.mentions().userIds().stream().map(UUID::toString)
                    .collect(Collectors.joining(",", "{", "}"));
            everyone[i] = row.mentions().everyone();
            threadRootIds[i] = row.threadRootId();
        }
        Map<UUID, Stored> stored = new HashMap<>();
        jdbc.sql(n == 1 ? INSERT_ONE_ROW : INSERT_ROWS)
                .param("ids", ids)
                .param("chatIds", chatIds)
                .param("senderIds", senderIds)
                .param("clientIds", clientIds)
                .param("contents", contents)
                .param("contentTypes", contentTypes)
                .param("metadata", metadata)
                .param("replyToIds", replyToIds)
                .param("createdMicros", createdMicros)
                .param("mentions", mentions)
                .param("everyone", everyone)
                .param("threadRootIds", threadRootIds)
                .query(rs -> {
                    stored.put(rs.getObject("id", UUID.class), new Stored(rs.getLong("position"),
                            rs.getTimestamp("created_at").toInstant(), rs.getString("sender_username"),
                            rs.getString("sender_display_name"), rs.getString("sender_avatar_url")));
                });
        List<Stored> results = new ArrayList<>(n);
        for (UUID id : ids) {
            results.add(stored.get(id));
        }
        return results;
    }

    /** Replaces content and metadata of a message that is not deleted; returns the edit time. */
    Optional<Instant> edit(UUID id, String content, String metadata, Instant now, Mentions.Parsed mentions) {
        return jdbc.sql("""
                UPDATE messages SET content = :content, metadata = CAST(:metadata AS jsonb), is_edited = TRUE,
                                    edited_at = :now, mentions = CAST(:mentions AS uuid[]), mentions_everyone = :everyone
                WHERE id = :id AND NOT is_deleted
                RETURNING edited_at
                """)
                .param("id", id)
                .param("content", content)
                .param("metadata", metadata)
                .param("now", Timestamp.from(now))
                .param("mentions", mentions.userIds().toArray(UUID[]::new))
                .param("everyone", mentions.everyone())
                .query((rs, n) -> rs.getTimestamp("edited_at").toInstant())
                .optional();
    }

    /** Soft delete: the row keeps its place in the chat, the text is gone. */
    boolean softDelete(UUID id, Instant now) {
        return jdbc.sql("""
                UPDATE messages SET is_deleted = TRUE, deleted_at = :now, content = '', metadata = '{}'
                WHERE id = :id AND NOT is_deleted
                """)
                .param("id", id)
                .param("now", Timestamp.from(now))
                .update() == 1;
    }

    /**
     * Messages after the member's read position that others sent and nobody deleted; thread replies
     * and system messages do not count (docs/subsystems/chats-messages.md, "Unread and mention counts").
     */
    long unreadCount(UUID chatId, UUID userId, long readPosition) {
        return jdbc.sql("""
                SELECT count(*) FROM messages
                WHERE chat_id = :chatId AND NOT is_deleted AND position > :position AND sender_id IS DISTINCT FROM :userId
                  AND thread_root_id IS NULL AND content_type <> 'system'
                """)
                .param("chatId", chatId)
                .param("userId", userId)
                .param("position", readPosition)
                .query(Long.class)
                .single();
    }

    /** Moves the member's read cursor (and the delivered one with it) forward; false when it was already there. */
    Optional<Instant> moveRead(UUID chatId, UUID userId, UUID messageId, long position, Instant now) {
        return jdbc.sql("""
                UPDATE chat_participants SET
                    last_read_position = :position, last_read_message_id = :messageId, read_at = :now,
                    last_delivered_message_id = CASE WHEN last_delivered_position < :position THEN :messageId
                                                     ELSE last_delivered_message_id END,
                    delivered_at = CASE WHEN last_delivered_position < :position THEN :now ELSE delivered_at END,
                    last_delivered_position = GREATEST(last_delivered_position, :position)
                WHERE chat_id = :chatId AND user_id = :userId AND left_at IS NULL AND last_read_position < :position
                RETURNING read_at
                """)
                .param("chatId", chatId)
                .param("userId", userId)
                .param("messageId", messageId)
                .param("position", position)
                .param("now", Timestamp.from(now))
                .query((rs, n) -> rs.getTimestamp("read_at").toInstant())
                .optional();
    }

    /** The member's current read cursor: the message id (null before any read) and when. */
    record ReadCursor(UUID messageId, long position, Instant readAt) {
    }

    Optional<ReadCursor> readCursor(UUID chatId, UUID userId) {
        return jdbc.sql("""
                SELECT last_read_message_id, last_read_position, read_at FROM chat_participants
                WHERE chat_id = :chatId AND user_id = :userId AND left_at IS NULL
                """)
                .param("chatId", chatId)
                .param("userId", userId)
                .query((rs, n) -> new ReadCursor(rs.getObject("last_read_message_id", UUID.class),
                        rs.getLong("last_read_position"), instant(rs.getTimestamp("read_at"))))
                .optional();
    }

    private static MessageRow map(ResultSet rs, int rowNum) throws SQLException {
        UUID replyId = rs.getObject("r_id", UUID.class);
        MessageRow.Reply reply = replyId == null ? null : new MessageRow.Reply(replyId,
                rs.getObject("r_sender_id", UUID.class), rs.getString("r_username"), rs.getString("r_display_name"),
                rs.getString("r_content"), rs.getString("r_content_type"), rs.getBoolean("r_is_deleted"),
                instant(rs.getTimestamp("r_created_at")));
        return new MessageRow(rs.getObject("id", UUID.class), rs.getObject("chat_id", UUID.class),
                rs.getObject("sender_id", UUID.class), rs.getString("username"), rs.getString("display_name"),
                rs.getString("avatar_url"), rs.getLong("position"), rs.getString("client_message_id"),
                rs.getString("content"), rs.getString("content_type"), rs.getString("metadata"),
                rs.getObject("reply_to_id", UUID.class), rs.getBoolean("is_edited"),
                instant(rs.getTimestamp("edited_at")), rs.getBoolean("is_deleted"),
                instant(rs.getTimestamp("created_at")), reply, uuids(rs.getArray("mentions")),
                rs.getBoolean("mentions_everyone"), rs.getObject("thread_root_id", UUID.class),
                rs.getString("system_event"), rs.getString("link_preview"));
    }

    static List<UUID> uuids(java.sql.Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] values = (Object[]) array.getArray();
        List<UUID> result = new java.util.ArrayList<>(values.length);
        for (Object value : values) {
            result.add(value instanceof UUID uuid ? uuid : UUID.fromString(value.toString()));
        }
        return List.copyOf(result);
    }

    // ---- mentions ------------------------------------------------------------------------------

    /** The chat's active members by lower-cased username, for parsing mentions. */
    Map<String, UUID> memberIdsByUsername(UUID chatId) {
        Map<String, UUID> result = new java.util.HashMap<>();
        jdbc.sql("""
                SELECT u.id, lower(u.username) AS username FROM chat_participants p JOIN users u ON u.id = p.user_id
                WHERE p.chat_id = :chatId AND p.left_at IS NULL
                """)
                .param("chatId", chatId)
                .query((rs, n) -> result.put(rs.getString("username"), rs.getObject("id", UUID.class)))
                .list();
        return result;
    }

    /** Who may mention everyone in a group: 'all' or 'admins'. */
    String everyoneMentions(UUID chatId) {
        return jdbc.sql("SELECT everyone_mentions FROM chats WHERE id = :chatId")
                .param("chatId", chatId)
                .query(String.class)
                .optional()
                .orElse("all");
    }

    // ---- threads -------------------------------------------------------------------------------

    /** Reply count, newest reply time and repliers (in order of their first reply) of these roots. */
    Map<UUID, MessageView.ThreadSummary> threadSummaries(Collection<UUID> rootIds) {
        Map<UUID, MessageView.ThreadSummary> result = new java.util.HashMap<>();
        if (rootIds.isEmpty()) {
            return result;
        }
        jdbc.sql("""
                SELECT thread_root_id, count(*) AS replies, max(created_at) AS last_reply_at,
                       (SELECT array_agg(s.sender_id ORDER BY s.first) FROM (
                            SELECT sender_id, min(position) AS first FROM messages t
                            WHERE t.thread_root_id = m.thread_root_id AND NOT t.is_deleted AND t.sender_id IS NOT NULL
                            GROUP BY sender_id) s) AS participants
                FROM messages m
                WHERE thread_root_id IN (:ids) AND NOT is_deleted
                GROUP BY thread_root_id
                """)
                .param("ids", rootIds)
                .query((rs, n) -> result.put(rs.getObject("thread_root_id", UUID.class),
                        new MessageView.ThreadSummary(rs.getInt("replies"), instant(rs.getTimestamp("last_reply_at")),
                                uuids(rs.getArray("participants")))))
                .list();
        return result;
    }

    /** A thread's replies before a position, newest first. */
    List<MessageRow> threadBefore(UUID rootId, long position, int limit) {
        return jdbc.sql(SELECT + """
                 WHERE m.thread_root_id = :rootId AND NOT m.is_deleted AND m.position < :position
                 ORDER BY m.position DESC LIMIT :limit
                """)
                .param("rootId", rootId)
                .param("position", position)
                .param("limit", limit)
                .query(MessageRepository::map)
                .list();
    }

    /** The member's read position in a thread (0 before they opened it). */
    long threadReadPosition(UUID userId, UUID rootId) {
        return jdbc.sql("SELECT last_read_position FROM thread_reads WHERE user_id = :userId AND root_id = :rootId")
                .param("userId", userId)
                .param("rootId", rootId)
                .query(Long.class)
                .optional()
                .orElse(0L);
    }

    /** Moves the member's thread read position forward (never back). */
    long markThreadRead(UUID userId, UUID rootId, long position) {
        return jdbc.sql("""
                INSERT INTO thread_reads (user_id, root_id, last_read_position) VALUES (:userId, :rootId, :position)
                ON CONFLICT (user_id, root_id) DO UPDATE
                    SET last_read_position = GREATEST(thread_reads.last_read_position, EXCLUDED.last_read_position)
                RETURNING last_read_position
                """)
                .param("userId", userId)
                .param("rootId", rootId)
                .param("position", position)
                .query(Long.class)
                .single();
    }

    /** Replies of the thread after a position that others wrote. */
    long threadUnread(UUID userId, UUID rootId, long position) {
        return jdbc.sql("""
                SELECT count(*) FROM messages WHERE thread_root_id = :rootId AND NOT is_deleted
                  AND position > :position AND sender_id IS DISTINCT FROM :userId
                """)
                .param("userId", userId)
                .param("rootId", rootId)
                .param("position", position)
                .query(Long.class)
                .single();
    }

    // ---- system messages and previews ----------------------------------------------------------

    /** Stores a system message (content empty, not searchable) at the given stream position. */
    Instant insertSystem(UUID id, UUID chatId, UUID actorId, long position, String systemEvent, Instant now) {
        jdbc.sql("""
                INSERT INTO messages (id, chat_id, sender_id, position, content, content_type, system_event, created_at)
                VALUES (:id, :chatId, :actorId, :position, '', 'system', CAST(:system AS jsonb), :now)
                """)
                .param("id", id)
                .param("chatId", chatId)
                .param("actorId", actorId)
                .param("position", position)
                .param("system", systemEvent)
                .param("now", Timestamp.from(now))
                .update();
        return now;
    }

    /** Stores a link preview on a message that is still there; false when it is gone or deleted. */
    boolean setLinkPreview(UUID id, String preview) {
        return jdbc.sql("UPDATE messages SET link_preview = CAST(:preview AS jsonb) WHERE id = :id AND NOT is_deleted")
                .param("id", id)
                .param("preview", preview)
                .update() == 1;
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
