package app.confab.message;

import java.time.Instant;
import java.util.UUID;

/** A messages row with its sender's profile and the message it replies to, if any. */
record MessageRow(UUID id, UUID chatId, UUID senderId, String senderUsername, String senderDisplayName,
                  String senderAvatarUrl, long position, String clientMessageId, String content, String contentType,
                  String metadata, UUID replyToId, boolean isEdited, Instant editedAt, boolean isDeleted,
                  Instant createdAt, Reply reply) {

    record Reply(UUID id, UUID senderId, String senderUsername, String senderDisplayName, String content,
                 String contentType, boolean isDeleted, Instant createdAt) {
    }
}
