package app.confab.account;

import java.time.Instant;
import java.util.UUID;

/** A user as the API shows it (never the password hash). */
public record UserView(UUID id, String username, String displayName, String avatarUrl, String status,
                       Instant lastSeen, Instant createdAt) {

    public static UserView of(UserRow row) {
        return new UserView(row.id(), row.username(), row.displayName(), row.avatarUrl(), row.status(),
                row.lastSeen(), row.createdAt());
    }
}
