package app.confab.chat;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import app.confab.contact.ContactService;
import app.confab.platform.ApiException;

/**
 * Who may see a chat: its active members, while the chat is not deleted. Everyone else gets
 * 404 NOT_FOUND — the same answer as for a chat that does not exist, so a non-member learns
 * nothing, not even that the chat exists.
 */
@Component
public class ChatAccess {

    private final ChatRepository chats;
    private final ContactService contacts;

    ChatAccess(ChatRepository chats, ContactService contacts) {
        this.chats = chats;
        this.contacts = contacts;
    }

    public Optional<Membership> membership(UUID userId, UUID chatId) {
        return chats.membership(chatId, userId);
    }

    /** The caller's membership, or 404 when the caller is not a member (or the chat does not exist). */
    public Membership requireMember(UUID userId, UUID chatId) {
        return chats.membership(chatId, userId).orElseThrow(() -> ApiException.notFound("Chat"));
    }

    /** Whether either user has blocked the other (no direct chat, no messages between them then). */
    public boolean isBlockedEitherWay(UUID a, UUID b) {
        return contacts.isBlockedEitherWay(a, b);
    }
}
