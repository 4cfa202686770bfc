package app.confab.message;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import app.confab.stream.EventStore;
import app.confab.protocol.Event;
import app.confab.platform.SafeText;
import tools.jackson.databind.JsonNode;

/**
 * Deleted means gone (docs/subsystems/chats-messages.md): a durable event never holds text the chat no longer shows.
 * Deletes and edits redact the earlier events about the message in their own transaction
 * (docs/subsystems/chats-messages.md, "Deleted means gone"): a deleted message keeps only its
 * {@code message:deleted}; an edited one's {@code message:new} shows the current text and only its
 * latest {@code message:edited} stays; replies' previews of it follow. Used by message deletes and
 * edits and by the administrator's retention job.
 */
@Component
public class MessageRedaction {

    private final MessageRepository messages;
    private final EventStore events;

    MessageRedaction(MessageRepository messages, EventStore events) {
        this.messages = messages;
        this.events = events;
    }

    /**
     * Inside the transaction that deletes these messages (before their rows go, if they go).
     *
     * @return how many events were dropped
     */
    public int deleted(Collection<UUID> messageIds) {
        if (messageIds.isEmpty()) {
            return 0;
        }
        int dropped = events.forgetMessages(messageIds);
        events.amend(messages.repliesTo(messageIds), Event.MessageNew.class, "replyTo",
                Map.of("content", "", "isDeleted", true));
        return dropped;
    }

    /**
     * Retention removes these messages altogether: like {@link #deleted}, and their
     * {@code message:deleted} events go too (nobody deleted them in the chat; they aged out).
     */
    public int expired(Collection<UUID> messageIds) {
        return deleted(messageIds) + events.forgetMessagesEntirely(messageIds);
    }

    /** Inside the edit's transaction; {@code editPosition} is the position of the new message:edited. */
    void edited(UUID messageId, String content, JsonNode metadata, Instant editedAt, long editPosition,
                Mentions.Parsed mentions) {
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("mentions", mentions.userIds());
        current.put("mentionsEveryone", mentions.everyone());
        current.put("content", content);
        current.put("metadata", metadata);
        current.put("isEdited", true);
        current.put("editedAt", editedAt);
        events.amend(List.of(messageId), Event.MessageNew.class, null, current);
        events.dropSuperseded(messageId, Event.MessageEdited.class, editPosition);
        events.amend(messages.repliesTo(List.of(messageId)), Event.MessageNew.class, "replyTo",
                Map.of("content", SafeText.preview(content, MessageViews.REPLY_PREVIEW_CHARS)));
    }
}
