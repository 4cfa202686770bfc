package app.confab.account;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/** Sign-in sessions: the anchor of refresh-token rotation and of logout. */
@Repository
public class SessionRepository {

    private final JdbcClient jdbc;
    // Checked on every authenticated request; a revocation reaches other nodes within this TTL.
    private final Cache<UUID, Boolean> activeCache = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(5))
            .maximumSize(100_000)
            .build();

    public SessionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void create(UUID sessionId, UUID userId, UUID tokenId, Instant expiresAt, String userAgent, String clientAddress) {
        jdbc.sql("""
                INSERT INTO auth_sessions (id, user_id, current_token_id, expires_at, user_agent, client_address)
                VALUES (:id, :userId, :tokenId, :expiresAt, :userAgent, :clientAddress)
                """)
                .param("id", sessionId)
                .param("userId", userId)
                .param("tokenId", tokenId)
                .param("expiresAt", Timestamp.from(expiresAt))
                .param("userAgent", userAgent == null ? null : userAgent.substring(0, Math.min(300, userAgent.length())))
                .param("clientAddress", clientAddress)
                .update();
    }

    /** Swaps the session's current token id; false when {@code expected} is not current (reuse) or it is revoked. */
    public boolean rotate(UUID sessionId, UUID expected, UUID next, Instant now, Instant expiresAt) {
        return jdbc.sql("""
                UPDATE auth_sessions SET current_token_id = :next, last_used_at = :now, expires_at = :expiresAt
                WHERE id = :id AND current_token_id = :expected AND revoked_at IS NULL AND expires_at > :now
                """)
                .param("id", sessionId)
                .param("expected", expected)
                .param("next", next)
                .param("now", Timestamp.from(now))
                .param("expiresAt", Timestamp.from(expiresAt))
                .update() == 1;
    }

    /** Ends one session; true when it was still live. */
    public boolean revoke(UUID sessionId, String reason, Instant now) {
        int changed = jdbc.sql("UPDATE auth_sessions SET revoked_at = :now, revoked_reason = :reason WHERE id = :id AND revoked_at IS NULL")
                .param("id", sessionId)
                .param("reason", reason)
                .param("now", Timestamp.from(now))
                .update();
        activeCache.invalidate(sessionId);
        invalidateAfterCommit(List.of(sessionId));
        return changed == 1;
    }

    /** Ends every active session of a user but one (after a password change); the ids ended. */
    public List<UUID> revokeOthers(UUID userId, UUID keepSessionId, String reason, Instant now) {
        return revokeWhere(userId, keepSessionId, reason, now);
    }

    /** Ends every active session of a user (deactivation, password reset); the ids ended. */
    public List<UUID> revokeAll(UUID userId, String reason, Instant now) {
        return revokeWhere(userId, null, reason, now);
    }

    private List<UUID> revokeWhere(UUID userId, UUID keepSessionId, String reason, Instant now) {
        // With nothing to keep, the random id matches no session.
        List<UUID> revoked = jdbc.sql("""
                UPDATE auth_sessions SET revoked_at = :now, revoked_reason = :reason
                WHERE user_id = :userId AND id <> :keep AND revoked_at IS NULL
                RETURNING id
                """)
                .param("userId", userId)
                .param("keep", keepSessionId == null ? UUID.randomUUID() : keepSessionId)
                .param("reason", reason)
                .param("now", Timestamp.from(now))
                .query(UUID.class)
                .list();
        activeCache.invalidateAll(revoked);
        invalidateAfterCommit(revoked);
        return revoked;
    }

    private void invalidateAfterCommit(List<UUID> revoked) {
        // Inside a transaction, a concurrent request could re-cache "active" before the commit.
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    activeCache.invalidateAll(revoked);
                }
            });
        }
    }

    Optional<SessionRow> find(UUID sessionId) {
        return jdbc.sql("SELECT id, user_id, current_token_id, expires_at, revoked_at FROM auth_sessions WHERE id = :id")
                .param("id", sessionId)
                .query((rs, rowNum) -> new SessionRow(
                        rs.getObject("id", UUID.class),
                        rs.getObject("user_id", UUID.class),
                        rs.getObject("current_token_id", UUID.class),
                        rs.getTimestamp("expires_at").toInstant(),
                        UserRepository.instant(rs.getTimestamp("revoked_at"))))
                .optional();
    }

    /**
     * The ones of these sessions that have ended (revoked, expired or unknown). One statement for
     * any number of ids: they travel as one text parameter, split and cast in SQL.
     */
    public java.util.Set<UUID> ended(java.util.Collection<UUID> sessionIds, Instant now) {
        if (sessionIds.isEmpty()) {
            return java.util.Set.of();
        }
        String ids = String.join(",", sessionIds.stream().map(UUID::toString).toList());
        List<UUID> live = jdbc.sql("""
                SELECT id FROM auth_sessions
                WHERE id = ANY (string_to_array(:ids, ',')::uuid[]) AND revoked_at IS NULL AND expires_at > :now
                """)
                .param("ids", ids)
                .param("now", Timestamp.from(now))
                .query(UUID.class)
                .list();
        java.util.Set<UUID> ended = new java.util.HashSet<>(sessionIds);
        live.forEach(ended::remove);
        return ended;
    }

    public boolean isActive(UUID sessionId, Instant now) {
        Boolean active = activeCache.get(sessionId, id -> jdbc.sql("""
                SELECT count(*) FROM auth_sessions WHERE id = :id AND revoked_at IS NULL AND expires_at > :now
                """)
                .param("id", id)
                .param("now", Timestamp.from(now))
                .query(Long.class).single() == 1);
        return Boolean.TRUE.equals(active);
    }
}
