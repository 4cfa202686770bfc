package app.confab.protocol;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import app.confab.attachment.AttachmentView;
import tools.jackson.databind.JsonNode;

/**
 * A message as the API and the message:new event show it. {@code content} is HTML-escaped text
 * with markdown markers (docs/subsystems/formatting.md); {@code position} is the stream position of the
 * message:new event, the message's place in its chat.
 *
 * <p>{@code mentions}: ids of the members the text mentions with {@code @username} (parsed on the
 * server against the chat's members); {@code mentionsEveryone}: the text has {@code @here} or
 * {@code @all}. {@code threadRootId}: set on a thread reply (hidden from the main timeline);
 * {@code thread}: on a root with replies. {@code system}: set when {@code contentType} is
 * {@code "system"} (content is then empty). {@code linkPreview}: the Open Graph preview of the
 * first link, when the administrator enabled previews and one was found.
 */
public record MessageView(UUID id, UUID chatId, UUID senderId, String senderUsername, String senderDisplayName,
                          String senderAvatarUrl, String content, String contentType, JsonNode metadata,
                          UUID replyToId, ReplySummary replyTo, List<AttachmentView> attachments,
                          List<ReactionGroup> reactions, String clientMessageId, long position, boolean isEdited,
                          Instant editedAt, Instant createdAt, List<UUID> mentions, boolean mentionsEveryone,
                          UUID threadRootId, ThreadSummary thread, SystemEvent system, LinkPreview linkPreview) {

    /** What a reply shows of the message it answers; a deleted original shows as deleted with no content. */
    public record ReplySummary(UUID id, UUID senderId, String senderUsername, String senderDisplayName,
                               String content, String contentType, boolean isDeleted, Instant createdAt) {
    }

    /** Reactions with one emoji (docs/subsystems/chats-messages.md, "Object shapes"): who reacted, in the order they did. */
    public record ReactionGroup(String emoji, int count, List<UUID> users) {
    }

    /** A thread root's replies: how many (not deleted), the newest one's time, and who wrote them (first reply first). */
    public record ThreadSummary(int replyCount, Instant lastReplyAt, List<UUID> participants) {
    }

    /**
     * What a system message records. {@code action}: member_added, member_removed, member_left,
     * chat_renamed, description_changed or call_ended; {@code targetIds}: the members added or
     * removed; {@code name} / {@code description}: the new value for a rename or description change.
     * A call_ended line (the call log, docs/subsystems/calls.md) has the caller as actor and
     * {@code call}; the other actions have no {@code call}.
     */
    public record SystemEvent(String action, UUID actorId, List<UUID> targetIds, String name, String description,
                              CallOutcome call) {
    }

    /**
     * How a call went. {@code outcome}: missed, unavailable, declined or ended; {@code durationSec}:
     * from the first answer to the end (0 when nobody answered); {@code video}: a video call.
     */
    public record CallOutcome(UUID callId, String outcome, int durationSec, boolean video) {
    }

    /** Open Graph data of a message's first link; every text is plain text (the client escapes it). */
    public record LinkPreview(String url, String title, String description, String imageUrl, String siteName) {
    }
}
