package app.confab.chat;

import java.time.Instant;
import java.util.UUID;

import app.confab.membership.ChatRole;

/**
 * A member of a chat with the member's receipts: the newest message delivered to and read by
 * them, as message id and stream position (a message is read by this member when its position is
 * at most {@code lastReadPosition}).
 */
public record ParticipantView(UUID userId, ChatUser user, ChatRole role, Instant joinedAt,
                              UUID lastDeliveredMessageId, long lastDeliveredPosition, Instant deliveredAt,
                              UUID lastReadMessageId, long lastReadPosition, Instant readAt) {
}
