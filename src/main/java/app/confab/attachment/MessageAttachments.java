package app.confab.attachment;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the message feature needs from attachments: link uploads to a message being sent (inside
 * the sending transaction), look them up for display, and let go of them when a message is deleted.
 */
public interface MessageAttachments {

    /**
     * Links the uploader's unattached uploads to the message.
     *
     * @throws app.confab.platform.ApiException VALIDATION_ERROR when an id is unknown, not the
     *                                          uploader's, or already attached elsewhere
     */
    List<AttachmentView> attach(UUID uploaderId, UUID chatId, UUID messageId, List<UUID> attachmentIds);

    /** The attachments of each of these messages (messages without any are absent from the map). */
    Map<UUID, List<AttachmentView>> forMessages(Collection<UUID> messageIds);

    /** The message is gone: its files are removed. */
    void messageDeleted(UUID messageId);
}
