package app.confab.notification;

import app.confab.membership.MembershipSql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for notification preferences, push subscriptions and delivery claims. */
@Repository
class NotificationRepository {

    /** A stored preferences row (or the defaults when the user has none). */
    record PreferencesRow(String defaultLevel, boolean desktop, boolean push, boolean email, String emailAddress,
                          int emailDelayMinutes, boolean emailGroups, boolean pushPreview, String quietStart,
                          String quietEnd, String quietTimeZone) {

        static final PreferencesRow DEFAULTS = new PreferencesRow("all", true, true, true, null, 15, false, true,
                null, null, null);
    }

    record SubscriptionRow(UUID id, UUID userId, String endpoint, String p256dh, String auth) {
    }

    /** A new message as the push tail sees it. */
    record NewMessage(UUID id, UUID chatId, UUID senderId, String senderName, long position, String content,
                      List<UUID> mentions, boolean mentionsEveryone, UUID replyToSenderId, String chatType,
                      String chatName, Instant createdAt, boolean deleted) {

        /** Someone's message that is still there: the only kind the tail may push. */
        boolean pushable() {
            return senderId != null && !deleted;
        }
    }

    /** A recipient's state for deciding whether to push. */
    record Recipient(UUID userId, String username, String status) {
    }

    /** An unread message due for a digest. */
    record DigestItem(UUID userId, String emailAddress, UUID messageId, UUID chatId, String chatType, String chatName,
                      String senderName, String content, List<UUID> mentions, boolean mentionsEveryone,
                      Instant createdAt, String quietStart,
                      String quietEnd, String quietTimeZone, String recipientUsername, boolean emailGroups,
                      UUID replyToSenderId) {
    }

    private final JdbcClient jdbc;

    NotificationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // ---- preferences ---------------------------------------------------------------------------

    Optional<PreferencesRow> preferences(UUID userId) {
        return jdbc.sql("""
                SELECT default_level, desktop, push, email, email_address, email_delay_minutes, email_groups,
                       push_preview, to_char(quiet_start, 'HH24:MI') AS quiet_start,
                       to_char(quiet_end, 'HH24:MI') AS quiet_end, quiet_time_zone
                FROM notification_preferences WHERE user_id = :userId
                """)
                .param("userId", userId)
                .query((rs, n) -> new PreferencesRow(rs.getString("default_level"), rs.getBoolean("desktop"),
                        rs.getBoolean("push"), rs.getBoolean("email"), rs.getString("email_address"),
                        rs.getInt("email_delay_minutes"), rs.getBoolean("email_groups"), rs.getBoolean("push_preview"),
                        rs.getString("quiet_start"), rs.getString("quiet_end"), rs.getString("quiet_time_zone")))
                .optional();
    }

    void savePreferences(UUID userId, PreferencesRow row) {
        jdbc.sql("""
                INSERT INTO notification_preferences (user_id, default_level, desktop, push, email, email_address,
                    email_delay_minutes, email_groups, push_preview, quiet_start, quiet_end, quiet_time_zone, updated_at)
                VALUES (:userId, :level, :desktop, :push, :email, :address, :delay, :groups, :preview,
                    CAST(:quietStart AS TIME), CAST(:quietEnd AS TIME), :zone, now())
                ON CONFLICT (user_id) DO UPDATE SET default_level = EXCLUDED.default_level, desktop = EXCLUDED.desktop,
                    push = EXCLUDED.push, email = EXCLUDED.email, email_address = EXCLUDED.email_address,
                    email_delay_minutes = EXCLUDED.email_delay_minutes, email_groups = EXCLUDED.email_groups,
                    push_preview = EXCLUDED.push_preview, quiet_start = EXCLUDED.quiet_start,
                    quiet_end = EXCLUDED.quiet_end, quiet_time_zone = EXCLUDED.quiet_time_zone, updated_at = now()
                """)
                .param("userId", userId)
                .param("level", row.defaultLevel())
                .param("desktop", row.desktop())
                .param("push", row.push())
                .param("email", row.email())
                .param("address", row.emailAddress())
                .param("delay", row.emailDelayMinutes())
                .param("groups", row.emailGroups())
                .param("preview", row.pushPreview())
                .param("quietStart", row.quietStart())
                .param("quietEnd", row.quietEnd())
                .param("zone", row.quietTimeZone())
                .update();
    }

    /** Unsubscribing from email needs no other setting: the row is made with defaults if missing. */
    void disableEmail(UUID userId) {
        jdbc.sql("""
                INSERT INTO notification_preferences (user_id, email) VALUES (:userId, FALSE)
                ON CONFLICT (user_id) DO UPDATE SET email = FALSE, updated_at = now()
                """)
                .param("userId", userId)
                .update();
    }

    Map<UUID, String> chatLevels(UUID userId) {
        Map<UUID, String> levels = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT l.chat_id, l.level FROM chat_notification_levels l
                WHERE l.user_id = :userId AND %s ORDER BY l.chat_id
                """.formatted(MembershipSql.isActiveMember("l.chat_id", "l.user_id")))
                .param("userId", userId)
                .query((ResultSet rs) -> {
                    levels.put(rs.getObject("chat_id", UUID.class), rs.getString("level"));
                });
        return levels;
    }

    Optional<String> chatLevel(UUID userId, UUID chatId) {
        return jdbc.sql("SELECT level FROM chat_notification_levels WHERE user_id = :userId AND chat_id = :chatId")
                .param("userId", userId)
                .param("chatId", chatId)
                .query(String.class)
                .optional();
    }

    void setChatLevel(UUID userId, UUID chatId, String level) {
        if (level == null) {
            jdbc.sql("DELETE FROM chat_notification_levels WHERE user_id = :userId AND chat_id = :chatId")
                    .param("userId", userId)
                    .param("chatId", chatId)
                    .update();
            return;
        }
        jdbc.sql("""
                INSERT INTO chat_notification_levels (user_id, chat_id, level) VALUES (:userId, :chatId, :level)
                ON CONFLICT (user_id, chat_id) DO UPDATE SET level = EXCLUDED.level, updated_at = now()
                """)
                .param("userId", userId)
                .param("chatId", chatId)
                .param("level", level)
                .update();
    }

    // ---- push subscriptions --------------------------------------------------------------------

    /** Registers the endpoint for the user; an endpoint registered before (by anyone) moves to them with its new keys. */
    UUID upsertSubscription(UUID userId, String endpoint, String p256dh, String auth) {
        return jdbc.sql("""
                INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth) VALUES (:id, :userId, :endpoint, :p256dh, :auth)
                ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh,
                    auth = EXCLUDED.auth, created_at = now()
                RETURNING id
                """)
                .param("id", UUID.randomUUID())
                .param("userId", userId)
                .param("endpoint", endpoint)
                .param("p256dh", p256dh)
                .param("auth", auth)
                .query(UUID.class)
                .single();
    }

    int deleteSubscription(UUID userId, String endpoint) {
        return jdbc.sql("DELETE FROM push_subscriptions WHERE user_id = :userId AND endpoint = :endpoint")
                .param("userId", userId)
                .param("endpoint", endpoint)
                .update();
    }

    void deleteSubscription(UUID subscriptionId) {
        jdbc.sql("DELETE FROM push_subscriptions WHERE id = :id").param("id", subscriptionId).update();
    }

    List<SubscriptionRow> subscriptions(UUID userId) {
        return jdbc.sql("SELECT id, user_id, endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = :userId")
                .param("userId", userId)
                .query((rs, n) -> new SubscriptionRow(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                        rs.getString("endpoint"), rs.getString("p256dh"), rs.getString("auth")))
                .list();
    }

    /** True for the one caller (on any node) that claims this message for this device. */
    boolean claimPush(UUID messageId, UUID subscriptionId) {
        return jdbc.sql("""
                INSERT INTO push_deliveries (message_id, subscription_id) VALUES (:messageId, :subscriptionId)
                ON CONFLICT DO NOTHING
                """)
                .param("messageId", messageId)
                .param("subscriptionId", subscriptionId)
                .update() == 1;
    }

    // ---- the push tail -------------------------------------------------------------------------

    long maxMessagePosition() {
        return jdbc.sql("SELECT COALESCE(max(position), 0) FROM messages").query(Long.class).single();
    }

    /**
     * Messages committed after {@code after}, in position order. Positions commit in order (the
     * stream lock), so a watermark over them misses nothing that commits later.
     */
    List<NewMessage> messagesAfter(long after, int limit) {
        return jdbc.sql("""
                SELECT m.id, m.chat_id, m.sender_id, u.display_name AS sender_name, m.position, m.content,
                       m.mentions, m.mentions_everyone, r.sender_id AS reply_to_sender_id, c.type AS chat_type,
                       c.name AS chat_name, m.created_at, m.is_deleted
                FROM messages m
                JOIN chats c ON c.id = m.chat_id
                LEFT JOIN users u ON u.id = m.sender_id
                LEFT JOIN messages r ON r.id = m.reply_to_id
                WHERE m.position > :after
                ORDER BY m.position LIMIT :limit
                """)
                .param("after", after)
                .param("limit", limit)
                .query(NotificationRepository::newMessage)
                .list();
    }

    private static NewMessage newMessage(ResultSet rs, int n) throws SQLException {
        return new NewMessage(rs.getObject("id", UUID.class), rs.getObject("chat_id", UUID.class),
                rs.getObject("sender_id", UUID.class), rs.getString("sender_name"), rs.getLong("position"),
                rs.getString("content"), uuids(rs, "mentions"), rs.getBoolean("mentions_everyone"),
                rs.getObject("reply_to_sender_id", UUID.class),
                rs.getString("chat_type"), rs.getString("chat_name"), rs.getTimestamp("created_at").toInstant(),
                rs.getBoolean("is_deleted"));
    }

    /** A {@code UUID[]} column as a list (empty for SQL NULL). */
    private static List<UUID> uuids(ResultSet rs, String column) throws SQLException {
        java.sql.Array array = rs.getArray(column);
        if (array == null) {
            return List.of();
        }
        try {
            List<UUID> ids = new java.util.ArrayList<>();
            for (Object id : (Object[]) array.getArray()) {
                ids.add(id instanceof UUID uuid ? uuid : UUID.fromString(id.toString()));
            }
            return List.copyOf(ids);
        } finally {
            array.free();
        }
    }

    List<Recipient> recipients(List<UUID> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        // An array, not an IN list: one statement text (prepared once) whatever the number of ids.
        return jdbc.sql("SELECT id, username, status FROM users WHERE id = ANY(CAST(:ids AS uuid[]))")
                .param("ids", userIds.toArray(UUID[]::new))
                .query((rs, n) -> new Recipient(rs.getObject("id", UUID.class), rs.getString("username"),
                        rs.getString("status")))
                .list();
    }

    // ---- email digests -------------------------------------------------------------------------

    /**
     * Unread messages of other people, older than the recipient's delay, in chats they have not
     * muted, not emailed before, to recipients with an address who are not online: direct
     * messages, and group messages when they asked for those (mentions are picked in Java).
     */
    List<DigestItem> digestCandidates(Instant now, Instant notBefore) {
        return jdbc.sql("""
                SELECT p.user_id, np.email_address, m.id AS message_id, m.chat_id, c.type AS chat_type,
                       c.name AS chat_name, su.display_name AS sender_name, m.content, m.mentions, m.mentions_everyone,
                       m.created_at, to_char(np.quiet_start, 'HH24:MI') AS quiet_start,
                       to_char(np.quiet_end, 'HH24:MI') AS quiet_end, np.quiet_time_zone, ru.username AS recipient_username,
                       np.email_groups, COALESCE(cl.level, np.default_level) AS level, r.sender_id AS reply_to_sender_id
                FROM notification_preferences np
                JOIN users ru ON ru.id = np.user_id AND ru.status <> 'online'
                JOIN (%s) ON p.user_id = np.user_id
                JOIN messages m ON m.chat_id = p.chat_id AND m.position > p.last_read_position AND NOT m.is_deleted
                    AND m.sender_id IS NOT NULL AND m.sender_id <> p.user_id
                    AND m.created_at <= CAST(:now AS TIMESTAMPTZ) - make_interval(mins => np.email_delay_minutes)
                    AND m.created_at > :notBefore
                LEFT JOIN users su ON su.id = m.sender_id
                LEFT JOIN messages r ON r.id = m.reply_to_id
                LEFT JOIN chat_notification_levels cl ON cl.user_id = p.user_id AND cl.chat_id = p.chat_id
                WHERE np.email AND np.email_address IS NOT NULL
                  AND COALESCE(cl.level, np.default_level) <> 'nothing'
                  AND NOT EXISTS (SELECT 1 FROM email_deliveries d WHERE d.user_id = p.user_id AND d.message_id = m.id)
                ORDER BY p.user_id, m.position
                LIMIT 2000
                """.formatted(MembershipSql.activeMemberships("p", "c")))
                .param("now", java.sql.Timestamp.from(now))
                .param("notBefore", java.sql.Timestamp.from(notBefore))
                .query((rs, n) -> new DigestItem(rs.getObject("user_id", UUID.class), rs.getString("email_address"),
                        rs.getObject("message_id", UUID.class), rs.getObject("chat_id", UUID.class),
                        rs.getString("chat_type"), rs.getString("chat_name"), rs.getString("sender_name"),
                        rs.getString("content"), uuids(rs, "mentions"), rs.getBoolean("mentions_everyone"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getString("quiet_start"), rs.getString("quiet_end"), rs.getString("quiet_time_zone"),
                        rs.getString("recipient_username"), rs.getBoolean("email_groups"),
                        rs.getObject("reply_to_sender_id", UUID.class)))
                .list();
    }

    /** Claims the messages for the user's digest; returns those this caller claimed (another node may have some). */
    List<UUID> claimEmail(UUID userId, List<UUID> messageIds) {
        return jdbc.sql("""
                INSERT INTO email_deliveries (user_id, message_id) SELECT :userId, id FROM unnest(CAST(:ids AS UUID[])) AS t(id)
                ON CONFLICT DO NOTHING RETURNING message_id
                """)
                .param("userId", userId)
                .param("ids", messageIds.toArray(UUID[]::new))
                .query(UUID.class)
                .list();
    }

    /** Gives back claims of a digest that could not be sent, so a later scan sends those messages. */
    void releaseEmail(UUID userId, List<UUID> messageIds) {
        jdbc.sql("DELETE FROM email_deliveries WHERE user_id = :userId AND message_id = ANY(CAST(:ids AS UUID[]))")
                .param("userId", userId)
                .param("ids", messageIds.toArray(UUID[]::new))
                .update();
    }
}
