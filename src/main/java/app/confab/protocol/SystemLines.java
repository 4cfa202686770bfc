package app.confab.protocol;

import java.util.List;
import java.util.UUID;

/**
 * Writes system lines (member added, removed or left, chat renamed, description changed) into a
 * chat's timeline, inside the caller's stream transaction (docs/subsystems/chats-messages.md,
 * "System messages"). The message feature implements it; the chat feature calls it through this
 * interface, so chat never imports message.
 */
public interface SystemLines {

    String MEMBER_ADDED = "member_added";
    String MEMBER_REMOVED = "member_removed";
    String MEMBER_LEFT = "member_left";
    String CHAT_RENAMED = "chat_renamed";
    String DESCRIPTION_CHANGED = "description_changed";
    String CALL_ENDED = "call_ended";

    /**
     * Stores the line at a fresh stream position and appends its message:new. Call it while the
     * members who should see it are still members (before a removal, after an addition).
     */
    MessageView write(UUID chatId, UUID actorId, String action, List<UUID> targetIds, String name, String description);

    /** Like the other {@code write} at a position the caller reserved (a leaving member's line comes before their participant:left). */
    MessageView write(long position, UUID chatId, UUID actorId, String action, List<UUID> targetIds, String name,
                      String description);
}
