package app.confab.chat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import app.confab.message.MessageView;
import app.confab.membership.ChatRole;

/**
 * A chat as the API and events show it. {@code participants} lists every member in GET
 * /api/chats/:id, in chat:created and in the other single-chat responses; in the chat list it is
 * filled for direct chats only (their two members name the chat) and null for groups.
 * {@code unreadCount} and {@code myRole} are the caller's; they are 0 and null in events. So are
 * {@code notificationLevel} (the caller's level in effect here: all, mentions or nothing; null in
 * events) and {@code muted} (level nothing), so every device shows the same mute state.
 */
public record ChatView(UUID id, String type, String name, String slug, String description, String avatarUrl,
                       UUID ownerId, Instant createdAt, Instant updatedAt, Instant lastMessageAt,
                       MessageView lastMessage, int participantCount, List<ParticipantView> participants,
                       long unreadCount, ChatRole myRole, String notificationLevel, boolean muted) {

    ChatView forEvent() {
        return new ChatView(id, type, name, slug, description, avatarUrl, ownerId, createdAt, updatedAt,
                lastMessageAt, lastMessage, participantCount, participants, 0, null, null, false);
    }
}
