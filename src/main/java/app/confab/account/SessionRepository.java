package app.confab.account;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

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

    public void revoke(UUID sessionId, String reason, Instant now) {
        jdbc.sql("UPDATE auth_sessions SET revoked_at = :now, revoked_reason = :reason WHERE id = :id AND revoked_at IS NULL")
                .param("id", sessionId)
                .param("reason", reason)
                .param("now", Timestamp.from(now))
                .update();
        activeCache.invalidate(sessionId);
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
