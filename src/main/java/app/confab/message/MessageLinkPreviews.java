package app.confab.message;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.stream.EventStore;
import app.confab.protocol.Event;
import app.confab.protocol.MessageView;
import tools.jackson.databind.ObjectMapper;

/**
 * Stores a fetched link preview with its message (the link preview feature calls it after the
 * send committed) and tells the chat with {@code message:preview}; the stored {@code message:new}
 * is amended too, so a client replaying the stream sees the preview without the extra event.
 */
@Component
public class MessageLinkPreviews {

    private final MessageRepository messages;
    private final EventStore events;
    private final TransactionTemplate transaction;
    private final ObjectMapper objectMapper;

    MessageLinkPreviews(MessageRepository messages, EventStore events, TransactionTemplate transaction,
                        ObjectMapper objectMapper) {
        this.messages = messages;
        this.events = events;
        this.transaction = transaction;
        this.objectMapper = objectMapper;
    }

    /** False when the message was deleted meanwhile (nothing is stored or sent then). */
    public boolean store(UUID messageId, MessageView.LinkPreview preview) {
        return Boolean.TRUE.equals(transaction.execute(status -> {
            long position = events.reservePosition();
            MessageRow row = messages.find(messageId).filter(found -> !found.isDeleted()).orElse(null);
            if (row == null || !messages.setLinkPreview(messageId, objectMapper.writeValueAsString(preview))) {
                return false;
            }
            events.amend(List.of(messageId), Event.MessageNew.class, null, Map.of("linkPreview", preview));
            events.append(position, new Event.MessagePreview(messageId, row.chatId(), preview));
            return true;
        }));
    }
}
