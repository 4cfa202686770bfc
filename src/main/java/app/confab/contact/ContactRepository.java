package app.confab.contact;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import app.confab.account.UserView;

/**
 * The contacts table (docs/subsystems/accounts.md, "Contacts"): every relationship is two rows, one per user's view. Pending
 * and accepted rows always come in pairs; a blocked row is the blocker's alone (the blocked user's
 * row is removed, or is their own block of the blocker).
 */
@Repository
class ContactRepository {

    private static final String ROW_COLUMNS = """
            c.id, c.user_id, c.contact_id, c.status, c.requested_by, c.created_at, c.accepted_at, c.blocked_at""";
    private static final String VIEW_COLUMNS = ROW_COLUMNS + """
            , u.id AS u_id, u.username AS u_username, u.display_name AS u_display_name, u.avatar_url AS u_avatar_url,
            u.status AS u_status, u.last_seen AS u_last_seen, u.created_at AS u_created_at""";

    private final JdbcClient jdbc;

    ContactRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Serializes every change to one pair of users until the transaction ends, so two people asking
     * each other at the same moment cannot both insert rows.
     */
    void lockPair(UUID a, UUID b) {
        String key = a.compareTo(b) < 0 ? a + ":" + b : b + ":" + a;
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "contact:" + key)
                .query().singleRow();
    }

    Optional<ContactRow> find(UUID userId, UUID contactId) {
        return jdbc.sql("SELECT %s FROM contacts c WHERE c.user_id = :userId AND c.contact_id = :contactId"
                        .formatted(ROW_COLUMNS))
                .param("userId", userId)
                .param("contactId", contactId)
                .query(ContactRepository::mapRow)
                .optional();
    }

    /** The caller's row named either by its own id or by the other user's id. */
    Optional<ContactRow> findByIdOrContact(UUID userId, UUID idOrContactId) {
        return jdbc.sql("""
                SELECT %s FROM contacts c
                WHERE c.user_id = :userId AND (c.id = :key OR c.contact_id = :key)
                LIMIT 1
                """.formatted(ROW_COLUMNS))
                .param("userId", userId)
                .param("key", idOrContactId)
                .query(ContactRepository::mapRow)
                .optional();
    }

    void insertPending(UUID requester, UUID recipient, Instant now) {
        jdbc.sql("""
                INSERT INTO contacts (user_id, contact_id, status, requested_by, created_at)
                VALUES (:requester, :recipient, 'pending', :requester, :now),
                       (:recipient, :requester, 'pending', :requester, :now)
                """)
                .param("requester", requester)
                .param("recipient", recipient)
                .param("now", Timestamp.from(now))
                .update();
    }

    void acceptPair(UUID a, UUID b, Instant now) {
        jdbc.sql("""
                UPDATE contacts SET status = 'accepted', accepted_at = :now
                WHERE ((user_id = :a AND contact_id = :b) OR (user_id = :b AND contact_id = :a)) AND status = 'pending'
                """)
                .param("a", a)
                .param("b", b)
                .param("now", Timestamp.from(now))
                .update();
    }

    /** Deletes a pending or accepted relationship (both rows); blocks stay. */
    void deleteRelationship(UUID a, UUID b) {
        jdbc.sql("""
                DELETE FROM contacts
                WHERE ((user_id = :a AND contact_id = :b) OR (user_id = :b AND contact_id = :a))
                  AND status IN ('pending', 'accepted')
                """)
                .param("a", a)
                .param("b", b)
                .update();
    }

    /** Makes (or turns) the blocker's row into a block, keeping its id when it existed. */
    void upsertBlock(UUID blocker, UUID blocked, Instant now) {
        jdbc.sql("""
                INSERT INTO contacts (user_id, contact_id, status, requested_by, created_at, blocked_at)
                VALUES (:blocker, :blocked, 'blocked', :blocker, :now, :now)
                ON CONFLICT (user_id, contact_id) DO UPDATE
                SET status = 'blocked', requested_by = :blocker, accepted_at = NULL, blocked_at = :now
                """)
                .param("blocker", blocker)
                .param("blocked", blocked)
                .param("now", Timestamp.from(now))
                .update();
    }

    void deleteRow(UUID id) {
        jdbc.sql("DELETE FROM contacts WHERE id = :id").param("id", id).update();
    }

    boolean isBlockedEitherWay(UUID a, UUID b) {
        return jdbc.sql("SELECT " + ContactSql.isBlockedEitherWay(":a", ":b"))
                .param("a", a)
                .param("b", b)
                .query(Boolean.class)
                .single();
    }

    /** Which of {@code others} have blocked {@code a} or been blocked by {@code a}. */
    java.util.Set<UUID> blockedEitherWay(UUID a, java.util.Collection<UUID> others) {
        if (others.isEmpty()) {
            return java.util.Set.of();
        }
        return new java.util.HashSet<>(jdbc.sql("""
                SELECT CASE WHEN user_id = :a THEN contact_id ELSE user_id END
                FROM contacts
                WHERE status = 'blocked'
                  AND ((user_id = :a AND contact_id IN (:others)) OR (contact_id = :a AND user_id IN (:others)))
                """)
                .param("a", a)
                .param("others", java.util.List.copyOf(others))
                .query(UUID.class)
                .list());
    }

    Optional<ContactView> view(UUID userId, UUID contactId) {
        return jdbc.sql("""
                SELECT %s FROM contacts c JOIN users u ON u.id = c.contact_id
                WHERE c.user_id = :userId AND c.contact_id = :contactId
                """.formatted(VIEW_COLUMNS))
                .param("userId", userId)
                .param("contactId", contactId)
                .query(ContactRepository::mapView)
                .optional();
    }

    /**
     * A page of the user's relationships in the given states, ordered by the other user's username
     * (byte order, so the cursor — the last lower-cased username shown — compares the same way).
     */
    List<ContactView> list(UUID userId, Collection<String> statuses, String afterUsername, int limit) {
        return jdbc.sql("""
                SELECT %s FROM contacts c JOIN users u ON u.id = c.contact_id
                WHERE c.user_id = :userId AND c.status IN (:statuses)
                  AND lower(u.username) COLLATE "C" > :after
                ORDER BY lower(u.username) COLLATE "C"
                LIMIT :limit
                """.formatted(VIEW_COLUMNS))
                .param("userId", userId)
                .param("statuses", statuses)
                .param("after", afterUsername == null ? "" : afterUsername)
                .param("limit", limit)
                .query(ContactRepository::mapView)
                .list();
    }

    private static ContactRow mapRow(ResultSet rs, int rowNum) throws SQLException {
        return new ContactRow(
                rs.getObject("id", UUID.class),
                rs.getObject("user_id", UUID.class),
                rs.getObject("contact_id", UUID.class),
                rs.getString("status"),
                rs.getObject("requested_by", UUID.class),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("accepted_at")),
                instant(rs.getTimestamp("blocked_at")));
    }

    private static ContactView mapView(ResultSet rs, int rowNum) throws SQLException {
        ContactRow row = mapRow(rs, rowNum);
        UserView user = new UserView(
                rs.getObject("u_id", UUID.class),
                rs.getString("u_username"),
                rs.getString("u_display_name"),
                rs.getString("u_avatar_url"),
                rs.getString("u_status"),
                instant(rs.getTimestamp("u_last_seen")),
                instant(rs.getTimestamp("u_created_at")));
        String direction = row.userId().equals(row.requestedBy()) ? "outgoing" : "incoming";
        return new ContactView(row.id(), row.contactId(), user, row.status(), direction, row.requestedBy(),
                row.createdAt(), row.acceptedAt(), row.blockedAt());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
