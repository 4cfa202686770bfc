package app.confab.message;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A messages row with its sender's profile and the message it replies to, if any.
 * {@code systemEvent} and {@code linkPreview} are the stored JSON (null when absent).
 */
record MessageRow(UUID id, UUID chatId, UUID senderId, String senderUsername, String senderDisplayName,
                  String senderAvatarUrl, long position, String clientMessageId, String content, String contentType,
                  String metadata, UUID replyToId, boolean isEdited, Instant editedAt, boolean isDeleted,
                  Instant createdAt, Reply reply, List<UUID> mentions, boolean mentionsEveryone, UUID threadRootId,
                  String systemEvent, String linkPreview) {

    record Reply(UUID id, UUID senderId, String senderUsername, String senderDisplayName, String content,
                 String contentType, boolean isDeleted, Instant createdAt) {
    }
}
