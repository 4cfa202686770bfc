package app.confab.membership;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import app.confab.platform.ApiException;

/**
 * Who may see a chat: its active members, while the chat is not deleted. Everyone else gets
 * 404 NOT_FOUND — the same answer as for a chat that does not exist, so a non-member learns
 * nothing, not even that the chat exists.
 *
 * <p>This module owns the rule "active member of a live chat" and the SQL for it: chat, message,
 * search, attachments, delivery and the event store ask here rather than writing their own. The
 * queries that must apply the rule inside their own statement take its text from
 * {@link MembershipSql}.
 */
@Component
public class ChatAccess {

    private final MembershipRepository memberships;

    ChatAccess(MembershipRepository memberships) {
        this.memberships = memberships;
    }

    public Optional<Membership> membership(UUID userId, UUID chatId) {
        return memberships.membership(chatId, userId);
    }

    /** The caller's membership, or 404 when the caller is not a member (or the chat does not exist). */
    public Membership requireMember(UUID userId, UUID chatId) {
        return memberships.membership(chatId, userId).orElseThrow(() -> ApiException.notFound("Chat"));
    }

    /** Whether the user is an active member of the chat and the chat is not deleted. */
    public boolean isActiveMember(UUID chatId, UUID userId) {
        return memberships.isActiveMember(chatId, userId);
    }

    /** The chats the user may read (and search): active membership of a chat that is not deleted. */
    public List<UUID> visibleChats(UUID userId) {
        return memberships.visibleChats(userId);
    }

    /** The chat's active members: the live audience of its events. */
    public List<UUID> activeMembers(UUID chatId) {
        return memberships.activeMembers(chatId);
    }

    /** Active members of several chats at once (chats without members are absent). */
    public Map<UUID, List<UUID>> activeMembers(List<UUID> chatIds) {
        return memberships.activeMembers(chatIds);
    }
}
