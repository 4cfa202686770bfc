package app.confab.stream;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import app.confab.protocol.Event;
import app.confab.membership.ChatAccess;
import app.confab.membership.MembershipSql;
import tools.jackson.databind.ObjectMapper;

/**
 * Appends to and reads the durable event stream (see docs/ARCHITECTURE.md, "Delivery").
 *
 * <p>Writers call {@link #append} inside their transaction, as the last step before commit. The
 * first append of a transaction takes a transaction-scoped advisory lock, so positions are handed
 * out in commit order across every node: a reader that has seen position N can never later find a
 * new event below N. After commit the events are handed to the {@link StreamPublisher} (the transport's event bus), which wakes up
 * connected clients on every node.
 */
@Component
public class EventStore implements StreamReader {

    /** Arbitrary constant naming the stream lock. */
    static final long STREAM_LOCK = 0x436f6e666162L;

    /**
     * The SQL expression that takes the next stream position, for an insert that records its own
     * position (a message row): lets the row and its position come from one statement. Only valid
     * after {@link #beginAppend()} in the same transaction, so positions stay in commit order.
     */
    public static final String NEXT_POSITION = "nextval('event_position_seq')";

    private static final String LOCK_HELD = EventStore.class.getName() + ".lockHeld";
    private static final String PENDING = EventStore.class.getName() + ".pending";
    /** Bound by {@link StreamWriter} around a batch: appends are buffered and written in one statement. */
    static final String BATCH = EventStore.class.getName() + ".batch";

    private final JdbcClient jdbc;
    private final ObjectMapper objectMapper;
    private final StreamPublisher bus;
    private final ChatAccess access;

    public EventStore(JdbcClient jdbc, ObjectMapper objectMapper, StreamPublisher bus, ChatAccess access) {
        this.jdbc = jdbc;
        this.access = access;
        this.objectMapper = objectMapper;
        this.bus = bus;
    }

    /**
     * Takes the stream lock (once per transaction) and reserves the next position without writing an
     * event yet — for rows such as messages that record the position of the event written with them.
     */
    public long reservePosition() {
        lockStream();
        return jdbc.sql("SELECT " + NEXT_POSITION).query(Long.class).single();
    }

    /**
     * Takes the stream lock (once per transaction) for a writer whose own insert takes its position
     * with {@link #NEXT_POSITION}, saving the separate {@code nextval} round trip.
     */
    public void beginAppend() {
        lockStream();
    }

    /** Appends a chat event: seen by the chat's members within their membership windows. */
    public StreamEvent appendToChat(Event.ChatEvent event) {
        return append(reservePosition(), event);
    }

    /** Appends an event only {@code userId} sees. */
    public StreamEvent appendToUser(UUID userId, Event.UserEvent event) {
        return write(reservePosition(), event, null, userId);
    }

    /** Writes a chat event at a position obtained from {@link #reservePosition()} in this transaction. */
    public StreamEvent append(long position, Event.ChatEvent event) {
        return write(position, event, event.chatId(), null);
    }

    private StreamEvent write(long position, Event event, UUID chatId, UUID userId) {
        if (!Boolean.TRUE.equals(TransactionSynchronizationManager.getResource(LOCK_HELD))) {
            throw new IllegalStateException("append needs reservePosition() in the same transaction");
        }
        String payload = objectMapper.writeValueAsString(event);
        Instant createdAt = Instant.now();
        StreamEvent.NewMessage newMessage = event instanceof Event.MessageNew created
                ? new StreamEvent.NewMessage(created.messageId(), created.senderId())
                : null;
        Batch batch = (Batch) TransactionSynchronizationManager.getResource(BATCH);
        if (batch != null) {
            // In a group-commit batch: one multi-row insert and one audience read for the lot, at flush.
            StreamEvent deferred = new StreamEvent(position, event.type(), chatId, userId, payload, createdAt,
                    userId != null ? List.of(userId) : null, newMessage);
            batch.rows.add(new Batch.Row(deferred, aboutMessage(event)));
            return deferred;
        }
        jdbc.sql("""
                INSERT INTO events (position, type, chat_id, user_id, message_id, payload, created_at)
                VALUES (:position, :type, :chatId, :userId, :messageId, CAST(:payload AS jsonb), :createdAt)
                """)
                .param("position", position)
                .param("type", event.type())
                .param("chatId", chatId)
                .param("userId", userId)
                .param("messageId", aboutMessage(event))
                .param("payload", payload)
                .param("createdAt", Timestamp.from(createdAt))
                .update();
        List<UUID> audience = userId != null ? List.of(userId) : access.activeMembers(chatId);
        StreamEvent stored = new StreamEvent(position, event.type(), chatId, userId, payload, createdAt, audience,
                newMessage);
        pending().add(stored);
        return stored;
    }

    /** Appends buffered by a {@link StreamWriter} batch; written by {@link #flush}. */
    static final class Batch {
        record Row(StreamEvent event, UUID messageId) {
        }

        final List<Row> rows = new ArrayList<>();
    }

    /**
     * Writes a batch's buffered appends: every event in one {@code INSERT … SELECT FROM unnest(…)}
     * (one statement whatever the batch size) that also reads the audience of every chat in it, under
     * the stream lock, so it is the same as reading it per event would be (bodies of a batch send
     * messages; they do not change membership). Events then wait for the commit like any other append.
     */
    void flush(Batch batch) {
        if (batch.rows.isEmpty()) {
            return;
        }
        int n = batch.rows.size();
        Long[] positions = new Long[n];
        String[] types = new String[n];
        UUID[] chatIds = new UUID[n];
        UUID[] userIds = new UUID[n];
        UUID[] messageIds = new UUID[n];
        String[] payloads = new String[n];
        Long[] createdMicros = new Long[n];
        List<UUID> chats = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Batch.Row row = batch.rows.get(i);
            StreamEvent event = row.event();
            positions[i] = event.position();
            types[i] = event.type();
            chatIds[i] = event.chatId();
            userIds[i] = event.userId();
            messageIds[i] = row.messageId();
            payloads[i] = event.payload();
            Instant at = event.createdAt();
            createdMicros[i] = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
            if (event.userId() == null && !chats.contains(event.chatId())) {
                chats.add(event.chatId());
            }
        }
        Map<UUID, List<UUID>> audiences = new HashMap<>();
        var statement = jdbc.sql(chats.isEmpty() ? INSERT_BATCH : INSERT_BATCH_READING_AUDIENCES)
                .param("positions", positions)
                .param("types", types)
                .param("chatIds", chatIds)
                .param("userIds", userIds)
                .param("messageIds", messageIds)
                .param("payloads", payloads)
                .param("createdMicros", createdMicros);
        if (chats.isEmpty()) {
            statement.update();
        } else {
            statement.param("chats", chats.toArray(UUID[]::new))
                    .query(rs -> {
                        audiences.computeIfAbsent(rs.getObject(1, UUID.class), ignored -> new ArrayList<>())
                                .add(rs.getObject(2, UUID.class));
                    });
        }
        List<StreamEvent> pending = pending();
        for (Batch.Row row : batch.rows) {
            StreamEvent event = row.event();
            pending.add(event.audience() != null ? event
                    : event.withAudience(List.copyOf(audiences.getOrDefault(event.chatId(), List.of()))));
        }
        batch.rows.clear();
    }

    /** A batch's events, one row per array element, in one statement. */
    private static final String INSERT_BATCH = """
            INSERT INTO events (position, type, chat_id, user_id, message_id, payload, created_at)
            SELECT position, type, chat_id, user_id, message_id, CAST(payload AS jsonb),
                   TIMESTAMPTZ 'epoch' + created_micros * INTERVAL '1 microsecond'
            FROM unnest(CAST(:positions AS bigint[]), CAST(:types AS text[]), CAST(:chatIds AS uuid[]),
                        CAST(:userIds AS uuid[]), CAST(:messageIds AS uuid[]), CAST(:payloads AS text[]),
                        CAST(:createdMicros AS bigint[]))
                 AS row(position, type, chat_id, user_id, message_id, payload, created_micros)
            """;

    /**
     * {@link #INSERT_BATCH} and the audience of the batch's chats in one round trip: a data-modifying
     * {@code WITH} always runs to completion, and the read sees what a separate read after it would
     * (the insert does not touch membership, and the stream lock is held).
     */
    private static final String INSERT_BATCH_READING_AUDIENCES = "WITH written AS (" + INSERT_BATCH + ")\n"
            + MembershipSql.activeMembersOf("CAST(:chats AS uuid[])");

    /** Any statement of a batch that touches the stream first writes what the batch buffered. */
    private void flushBuffered() {
        Batch batch = (Batch) TransactionSynchronizationManager.getResource(BATCH);
        if (batch != null) {
            flush(batch);
        }
    }

    /**
     * The message an event is about, stored with it so that deleting or editing the message can
     * redact it. A read receipt names a message only as a cursor: it is not about that message.
     */
    private static UUID aboutMessage(Event event) {
        return switch (event) {
            case Event.MessageNew created -> created.messageId();
            case Event.MessageEdited edited -> edited.messageId();
            case Event.MessagePreview preview -> preview.messageId();
            case Event.MessageDeleted deleted -> deleted.messageId();
            case Event.ReactionAdded added -> added.messageId();
            case Event.ReactionRemoved removed -> removed.messageId();
            default -> null;
        };
    }

    // ---- redaction: what a chat no longer shows, no event holds (docs/subsystems/delivery.md) ----

    /**
     * Drops every stored event about these messages but their {@code message:deleted}: the text,
     * edits and reactions of a deleted message are gone from every catch-up. Runs inside the
     * transaction that deletes them, so no reader ever sees the message deleted and its text kept.
     */
    public int forgetMessages(Collection<UUID> messageIds) {
        flushBuffered();
        if (messageIds.isEmpty()) {
            return 0;
        }
        return jdbc.sql("DELETE FROM events WHERE message_id = ANY(:ids) AND type <> 'message:deleted'")
                .param("ids", messageIds.toArray(UUID[]::new))
                .update();
    }

    /** Drops every stored event about these messages, their {@code message:deleted} included. */
    public int forgetMessagesEntirely(Collection<UUID> messageIds) {
        flushBuffered();
        if (messageIds.isEmpty()) {
            return 0;
        }
        return jdbc.sql("DELETE FROM events WHERE message_id = ANY(:ids)")
                .param("ids", messageIds.toArray(UUID[]::new))
                .update();
    }

    /** Drops the events of {@code type} about a message below {@code position}: a later one supersedes them. */
    public int dropSuperseded(UUID messageId, Class<? extends Event.ChatEvent> type, long position) {
        flushBuffered();
        return jdbc.sql("DELETE FROM events WHERE message_id = :id AND type = :type AND position < :position")
                .param("id", messageId)
                .param("type", Event.typeOf(type))
                .param("position", position)
                .update();
    }

    /**
     * Rewrites the stored {@code type} events about these messages: merges {@code fields} into the
     * payload (with {@code member} null) or into its object member {@code member} (payloads without
     * that object are left alone). So an edit makes a replayed {@code message:new} show the new text.
     */
    public int amend(Collection<UUID> messageIds, Class<? extends Event.ChatEvent> type, String member,
                     Map<String, ?> fields) {
        flushBuffered();
        if (messageIds.isEmpty()) {
            return 0;
        }
        String sql = member == null
                ? "UPDATE events SET payload = payload || CAST(:patch AS jsonb) WHERE message_id = ANY(:ids) AND type = :type"
                : """
                  UPDATE events
                  SET payload = jsonb_set(payload, ARRAY[CAST(:member AS text)], (payload -> :member) || CAST(:patch AS jsonb))
                  WHERE message_id = ANY(:ids) AND type = :type AND jsonb_typeof(payload -> :member) = 'object'
                  """;
        var statement = jdbc.sql(sql)
                .param("ids", messageIds.toArray(UUID[]::new))
                .param("type", Event.typeOf(type))
                .param("patch", objectMapper.writeValueAsString(fields));
        if (member != null) {
            statement = statement.param("member", member);
        }
        return statement.update();
    }

    private void lockStream() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("The event stream is written only inside a transaction");
        }
        if (Boolean.TRUE.equals(TransactionSynchronizationManager.getResource(LOCK_HELD))) {
            return;
        }
        jdbc.sql("SELECT pg_advisory_xact_lock(:lock)").param("lock", STREAM_LOCK).query().singleRow();
        TransactionSynchronizationManager.bindResource(LOCK_HELD, Boolean.TRUE);
        TransactionSynchronizationManager.bindResource(PENDING, new ArrayList<StreamEvent>());
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            @SuppressWarnings("unchecked")
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResource(LOCK_HELD);
                List<StreamEvent> events = (List<StreamEvent>) TransactionSynchronizationManager.unbindResource(PENDING);
                if (status == STATUS_COMMITTED && !events.isEmpty()) {
                    bus.publish(events);
                }
            }
        });
    }

    @SuppressWarnings("unchecked")
    private List<StreamEvent> pending() {
        return (List<StreamEvent>) TransactionSynchronizationManager.getResource(PENDING);
    }

    /** The newest position handed out so far (0 on an empty stream). A cursor for "from now on". */
    @Override
    public long currentPosition() {
        flushBuffered();
        // With the whole stream compacted away the head is the horizon: cursors never go back.
        return jdbc.sql("""
                SELECT GREATEST((SELECT COALESCE(MAX(position), 0) FROM events),
                                (SELECT position FROM event_stream_horizon))
                """).query(Long.class).single();
    }

    /**
     * The compaction horizon: every position at or below it was dropped from the stream. A cursor
     * below it cannot be caught up (the client gets {@code resync}); one at or above it can.
     */
    public long horizon() {
        return jdbc.sql("SELECT position FROM event_stream_horizon").query(Long.class).single();
    }

    /**
     * The events after {@code after} that {@code userId} may see, oldest first: events addressed to
     * the user, and chat events within the user's membership window of that chat.
     */
    public List<StreamEvent> readForUser(UUID userId, long after, int limit) {
        return readForUser(userId, after, Long.MAX_VALUE, limit);
    }

    /**
     * Like {@link #readForUser(UUID, long, int)} but only up to position {@code upTo} (inclusive):
     * catch-up reads up to a snapshot of {@link #currentPosition()} and leaves what comes after it
     * to live delivery.
     */
    public List<StreamEvent> readForUser(UUID userId, long after, long upTo, int limit) {
        flushBuffered();
        return jdbc.sql("""
                SELECT visible.position, visible.type, visible.chat_id, visible.user_id, visible.payload::text AS payload,
                       visible.created_at, m.id AS message_id, m.sender_id
                FROM (
                    SELECT e.* FROM events e
                    JOIN chat_participants p ON p.chat_id = e.chat_id AND p.user_id = :userId
                    WHERE e.user_id IS NULL AND e.position > :after AND e.position <= :upTo
                      AND %s
                    UNION ALL
                    SELECT e.* FROM events e WHERE e.user_id = :userId AND e.position > :after AND e.position <= :upTo
                ) visible
                LEFT JOIN messages m ON visible.type = 'message:new' AND m.position = visible.position
                ORDER BY visible.position
                LIMIT :limit
                """.formatted(MembershipSql.sawPosition("p", "e.position")))
                .param("userId", userId)
                .param("after", after)
                .param("upTo", upTo)
                .param("limit", limit)
                .query(EventStore::stored)
                .list();
    }

    /** Events in (after, upTo] with their live audience recomputed from membership windows. */
    public List<StreamEvent> readRange(long after, long upTo) {
        return readRange(after, upTo, Integer.MAX_VALUE);
    }

    /**
     * At most {@code limit} events in (after, upTo], oldest first, with their audience recomputed
     * from membership windows (two queries whatever the number of events).
     */
    @Override
    public List<StreamEvent> readRange(long after, long upTo, int limit) {
        flushBuffered();
        List<StreamEvent> events = jdbc.sql("""
                SELECT e.position, e.type, e.chat_id, e.user_id, e.payload::text AS payload, e.created_at,
                       m.id AS message_id, m.sender_id
                FROM events e
                LEFT JOIN messages m ON e.type = 'message:new' AND m.position = e.position
                WHERE e.position > :after AND e.position <= :upTo ORDER BY e.position LIMIT :limit
                """)
                .param("after", after)
                .param("upTo", upTo)
                .param("limit", limit)
                .query(EventStore::stored)
                .list();
        if (events.isEmpty()) {
            return events;
        }
        long last = events.getLast().position();
        Map<Long, List<UUID>> chatAudiences = new HashMap<>();
        jdbc.sql("""
                SELECT e.position, p.user_id FROM events e
                JOIN chat_participants p ON p.chat_id = e.chat_id AND %s
                WHERE e.position > :after AND e.position <= :last AND e.user_id IS NULL
                """.formatted(MembershipSql.sawPosition("p", "e.position")))
                .param("after", after)
                .param("last", last)
                .query(rs -> {
                    chatAudiences.computeIfAbsent(rs.getLong(1), ignored -> new ArrayList<>())
                            .add(rs.getObject(2, UUID.class));
                });
        List<StreamEvent> withAudience = new ArrayList<>(events.size());
        for (StreamEvent event : events) {
            List<UUID> audience = event.userId() != null
                    ? List.of(event.userId())
                    : chatAudiences.getOrDefault(event.position(), List.of());
            withAudience.add(event.withAudience(audience));
        }
        return withAudience;
    }

    private static StreamEvent stored(ResultSet rs, int rowNum) throws SQLException {
        UUID messageId = rs.getObject("message_id", UUID.class);
        return new StreamEvent(
                rs.getLong("position"), rs.getString("type"),
                rs.getObject("chat_id", UUID.class), rs.getObject("user_id", UUID.class),
                rs.getString("payload"), rs.getTimestamp("created_at").toInstant(), List.of(),
                messageId == null ? null : new StreamEvent.NewMessage(messageId, rs.getObject("sender_id", UUID.class)));
    }
}
