package app.confab.account;

import java.time.Instant;
import java.util.UUID;

/** An auth_sessions row. */
record SessionRow(UUID id, UUID userId, UUID currentTokenId, Instant expiresAt, Instant revokedAt) {

    boolean isActive(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }
}
