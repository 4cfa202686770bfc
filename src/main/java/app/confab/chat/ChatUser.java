package app.confab.chat;

import java.time.Instant;
import java.util.UUID;

/** The public profile of a user as chats and events show it. */
public record ChatUser(UUID id, String username, String displayName, String avatarUrl, String status,
                       Instant lastSeen) {
}
