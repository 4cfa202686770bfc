package app.confab.message;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import app.confab.attachment.AttachmentView;
import tools.jackson.databind.JsonNode;

/**
 * A message as the API and the message:new event show it. {@code content} is HTML-escaped text
 * with markdown markers (docs/subsystems/formatting.md); {@code position} is the stream position of the
 * message:new event, the message's place in its chat.
 */
public record MessageView(UUID id, UUID chatId, UUID senderId, String senderUsername, String senderDisplayName,
                          String senderAvatarUrl, String content, String contentType, JsonNode metadata,
                          UUID replyToId, ReplySummary replyTo, List<AttachmentView> attachments,
                          List<ReactionGroup> reactions, String clientMessageId, long position, boolean isEdited,
                          Instant editedAt, Instant createdAt) {

    /** What a reply shows of the message it answers; a deleted original shows as deleted with no content. */
    public record ReplySummary(UUID id, UUID senderId, String senderUsername, String senderDisplayName,
                               String content, String contentType, boolean isDeleted, Instant createdAt) {
    }

    /** Reactions with one emoji (docs/subsystems/chats-messages.md, "Object shapes"): who reacted, in the order they did. */
    public record ReactionGroup(String emoji, int count, List<UUID> users) {
    }
}
