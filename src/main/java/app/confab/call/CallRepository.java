package app.confab.call;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of calls: the {@code calls} and {@code call_participants} tables (V79). */
@Repository
class CallRepository {

    private final JdbcClient jdbc;

    CallRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a call unless the chat has a live one already (then empty). */
    boolean insert(UUID id, UUID chatId, UUID callerId, boolean video, String state, Instant now, Instant ringUntil) {
        return jdbc.sql("""
                INSERT INTO calls (id, chat_id, caller_id, video, state, created_at, ring_until)
                VALUES (:id, :chatId, :callerId, :video, :state, :now, :ringUntil)
                ON CONFLICT (chat_id) WHERE state <> 'ended' DO NOTHING
                """)
                .param("id", id).param("chatId", chatId).param("callerId", callerId).param("video", video)
                .param("state", state).param("now", Timestamp.from(now)).param("ringUntil", Timestamp.from(ringUntil))
                .update() == 1;
    }

    void addParticipant(UUID callId, UUID userId, String state, Instant joinedAt) {
        jdbc.sql("""
                INSERT INTO call_participants (call_id, user_id, state, joined_at)
                VALUES (:callId, :userId, :state, :joinedAt)
                """)
                .param("callId", callId).param("userId", userId).param("state", state)
                .param("joinedAt", joinedAt == null ? null : Timestamp.from(joinedAt))
                .update();
    }

    /** The call, its row locked until the transaction ends (every change to a call goes through this). */
    Optional<CallRow> lock(UUID callId) {
        return find(callId, true);
    }

    Optional<CallRow> find(UUID callId) {
        return find(callId, false);
    }

    private Optional<CallRow> find(UUID callId, boolean forUpdate) {
        Optional<CallRow> call = jdbc.sql("""
                SELECT id, chat_id, caller_id, video, state, outcome, created_at, ring_until, answered_at, ended_at
                FROM calls WHERE id = :id
                """ + (forUpdate ? " FOR UPDATE" : ""))
                .param("id", callId)
                .query((rs, n) -> new CallRow(rs.getObject("id", UUID.class), rs.getObject("chat_id", UUID.class),
                        rs.getObject("caller_id", UUID.class), rs.getBoolean("video"), rs.getString("state"),
                        rs.getString("outcome"), instant(rs.getTimestamp("created_at")),
                        instant(rs.getTimestamp("ring_until")), instant(rs.getTimestamp("answered_at")),
                        instant(rs.getTimestamp("ended_at")), List.of()))
                .optional();
        return call.map(row -> new CallRow(row.id(), row.chatId(), row.callerId(), row.video(), row.state(),
                row.outcome(), row.createdAt(), row.ringUntil(), row.answeredAt(), row.endedAt(), participants(row)));
    }

    private List<CallRow.Participant> participants(CallRow call) {
        return jdbc.sql("""
                SELECT user_id, state FROM call_participants WHERE call_id = :id
                ORDER BY (user_id = :callerId) DESC, joined_at NULLS LAST, user_id
                """)
                .param("id", call.id()).param("callerId", call.callerId())
                .query((rs, n) -> new CallRow.Participant(rs.getObject("user_id", UUID.class), rs.getString("state")))
                .list();
    }

    void setParticipant(UUID callId, UUID userId, String state, Instant now) {
        String sql = state.equals("joined")
                ? "UPDATE call_participants SET state = :state, joined_at = :now, left_at = NULL WHERE call_id = :callId AND user_id = :userId"
                : "UPDATE call_participants SET state = :state, left_at = :now WHERE call_id = :callId AND user_id = :userId";
        jdbc.sql(sql).param("callId", callId).param("userId", userId).param("state", state).param("now", Timestamp.from(now))
                .update();
    }

    void answer(UUID callId, Instant now) {
        jdbc.sql("UPDATE calls SET state = 'active', answered_at = :now WHERE id = :id AND state = 'ringing'")
                .param("id", callId).param("now", Timestamp.from(now)).update();
    }

    void end(UUID callId, String outcome, Instant now) {
        jdbc.sql("UPDATE calls SET state = 'ended', outcome = :outcome, ended_at = :now WHERE id = :id")
                .param("id", callId).param("outcome", outcome).param("now", Timestamp.from(now)).update();
        jdbc.sql("""
                UPDATE call_participants
                SET state = CASE WHEN state = 'ringing' THEN 'missed' ELSE 'left' END, left_at = :now
                WHERE call_id = :id AND state IN ('ringing', 'joined')
                """)
                .param("id", callId).param("now", Timestamp.from(now)).update();
    }

    void logged(UUID callId, UUID messageId) {
        jdbc.sql("UPDATE calls SET message_id = :messageId WHERE id = :id")
                .param("id", callId).param("messageId", messageId).update();
    }

    /** Live calls with someone still ringing past the ring deadline. */
    List<UUID> ringExpired(Instant now) {
        return jdbc.sql("""
                SELECT DISTINCT c.id FROM calls c JOIN call_participants p ON p.call_id = c.id
                WHERE c.state <> 'ended' AND c.ring_until <= :now AND p.state = 'ringing'
                """)
                .param("now", Timestamp.from(now)).query(UUID.class).list();
    }

    /** Every live call (few at any time: they are the calls in progress right now). */
    List<UUID> live() {
        return jdbc.sql("SELECT id FROM calls WHERE state <> 'ended'").query(UUID.class).list();
    }

    /** Live calls in which any of these users takes part. */
    List<UUID> liveWith(Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT DISTINCT c.id FROM calls c JOIN call_participants p ON p.call_id = c.id
                WHERE c.state <> 'ended' AND p.user_id IN (:users) AND p.state IN ('ringing', 'joined')
                """)
                .param("users", userIds).query(UUID.class).list();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
