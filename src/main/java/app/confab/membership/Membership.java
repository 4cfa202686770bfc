package app.confab.membership;

import java.util.UUID;

/** The caller's active membership of a chat that is not deleted. */
public record Membership(UUID chatId, String chatType, UUID ownerId, String directKey, UUID userId, ChatRole role,
                         long joinedPosition, long lastReadPosition, long lastDeliveredPosition) {

    public boolean isGroup() {
        return "group".equals(chatType);
    }

    public boolean isDirect() {
        return "direct".equals(chatType);
    }

    /** In a direct chat, the other member (read from the chat's pair key). */
    public UUID otherDirectMember() {
        if (!isDirect() || directKey == null) {
            return null;
        }
        String[] pair = directKey.split(":");
        UUID first = UUID.fromString(pair[0]);
        return first.equals(userId) ? UUID.fromString(pair[1]) : first;
    }
}
