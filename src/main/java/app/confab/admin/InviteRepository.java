package app.confab.admin;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import app.confab.account.Secrets;

@Repository
class InviteRepository {

    private static final String COLUMNS = "id, created_by, created_at, expires_at, max_uses, uses, revoked_at";

    record InviteRow(UUID id, UUID createdBy, Instant createdAt, Instant expiresAt, Integer maxUses, int uses,
                     Instant revokedAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    InviteRepository(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    InviteRow insert(String token, UUID createdBy, Instant expiresAt, Integer maxUses) {
        return jdbc.sql("""
                INSERT INTO invites (token_hash, created_by, created_at, expires_at, max_uses)
                VALUES (:hash, :createdBy, :now, :expiresAt, :maxUses)
                RETURNING %s
                """.formatted(COLUMNS))
                .param("hash", Secrets.sha256(token))
                .param("createdBy", createdBy)
                .param("now", Timestamp.from(clock.instant()))
                .param("expiresAt", Timestamp.from(expiresAt))
                .param("maxUses", maxUses)
                .query(InviteRepository::map)
                .single();
    }

    /** Counts one use of a live invite; false when it is unknown, used up, expired or revoked. */
    boolean consume(String token) {
        return jdbc.sql("""
                UPDATE invites SET uses = uses + 1
                WHERE token_hash = :hash AND revoked_at IS NULL AND expires_at > :now
                  AND (max_uses IS NULL OR uses < max_uses)
                """)
                .param("hash", Secrets.sha256(token))
                .param("now", Timestamp.from(clock.instant()))
                .update() == 1;
    }

    /** Whether the token names a live invite (without using it). */
    boolean isLive(String token) {
        return jdbc.sql("""
                SELECT count(*) FROM invites WHERE token_hash = :hash AND revoked_at IS NULL AND expires_at > :now
                  AND (max_uses IS NULL OR uses < max_uses)
                """)
                .param("hash", Secrets.sha256(token))
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class).single() > 0;
    }

    List<InviteRow> list(int limit) {
        return jdbc.sql("SELECT %s FROM invites ORDER BY created_at DESC LIMIT :limit".formatted(COLUMNS))
                .param("limit", limit)
                .query(InviteRepository::map)
                .list();
    }

    Optional<InviteRow> revoke(UUID id) {
        return jdbc.sql("""
                UPDATE invites SET revoked_at = COALESCE(revoked_at, :now) WHERE id = :id RETURNING %s
                """.formatted(COLUMNS))
                .param("id", id)
                .param("now", Timestamp.from(clock.instant()))
                .query(InviteRepository::map)
                .optional();
    }

    private static InviteRow map(ResultSet rs, int rowNum) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new InviteRow(rs.getObject("id", UUID.class), rs.getObject("created_by", UUID.class),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                (Integer) rs.getObject("max_uses"), rs.getInt("uses"), revoked == null ? null : revoked.toInstant());
    }
}
