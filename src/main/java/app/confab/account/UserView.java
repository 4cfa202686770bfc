package app.confab.account;

import java.time.Instant;
import java.util.UUID;

/**
 * A user as the API shows it (never the password hash). {@code role} is the deployment role
 * ("admin" or "member"); views built without it (contact lists) leave it null.
 */
public record UserView(UUID id, String username, String displayName, String avatarUrl, String status,
                       Instant lastSeen, Instant createdAt, String role) {

    public UserView(UUID id, String username, String displayName, String avatarUrl, String status,
                    Instant lastSeen, Instant createdAt) {
        this(id, username, displayName, avatarUrl, status, lastSeen, createdAt, null);
    }

    public static UserView of(UserRow row) {
        return new UserView(row.id(), row.username(), row.displayName(), row.avatarUrl(), row.status(),
                row.lastSeen(), row.createdAt(), row.role());
    }
}
