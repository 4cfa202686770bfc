package app.confab.account;

import java.time.Instant;
import java.util.UUID;

/** A users row. */
public record UserRow(UUID id, String username, String passwordHash, String displayName, String avatarUrl,
                      String status, Instant lastSeen, Instant createdAt, Instant updatedAt, String role,
                      Instant deactivatedAt) {

    public boolean isAdmin() {
        return "admin".equals(role);
    }

    public boolean isDeactivated() {
        return deactivatedAt != null;
    }
}
