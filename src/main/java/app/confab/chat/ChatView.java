package app.confab.chat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import app.confab.protocol.MessageView;
import app.confab.membership.ChatRole;

/**
 * A chat as the API and events show it. {@code participants} lists every member in GET
 * /api/chats/:id, in chat:created and in the other single-chat responses; in the chat list it is
 * filled for direct chats only (their two members name the chat) and null for groups.
 * {@code unreadCount}, {@code mentionCount} and {@code myRole} are the caller's; they are 0 and null in
 * events. {@code mentionCount}: unread messages (thread replies included) that mention the caller or
 * everyone. {@code everyoneMentions}: who may use {@code @here}/{@code @all} in a group, "all" or
 * "admins".
 * {@code notificationLevel} (the caller's level in effect here: all, mentions or nothing; null in
 * events) and {@code muted} (level nothing) are the caller's too, so every device shows the same mute state.
 */
public record ChatView(UUID id, String type, String name, String slug, String description, String avatarUrl,
                       UUID ownerId, Instant createdAt, Instant updatedAt, Instant lastMessageAt,
                       MessageView lastMessage, int participantCount, List<ParticipantView> participants,
                       long unreadCount, ChatRole myRole, long mentionCount, String everyoneMentions,
                       String notificationLevel, boolean muted) {

    ChatView forEvent() {
        return new ChatView(id, type, name, slug, description, avatarUrl, ownerId, createdAt, updatedAt,
                lastMessageAt, lastMessage, participantCount, participants, 0, null, 0, everyoneMentions, null, false);
    }
}
