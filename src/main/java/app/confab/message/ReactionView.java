package app.confab.message;

import java.time.Instant;
import java.util.UUID;

/** One user's reaction to a message. */
public record ReactionView(UUID id, UUID messageId, UUID userId, String username, String emoji, Instant createdAt) {
}
