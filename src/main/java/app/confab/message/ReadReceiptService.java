package app.confab.message;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.membership.ChatAccess;
import app.confab.membership.Membership;
import app.confab.stream.EventStore;
import app.confab.protocol.Event;
import app.confab.platform.ApiException;

/**
 * Read receipts as per-member cursors (no row per recipient per message; see
 * docs/subsystems/chats-messages.md). A read cursor only moves forward, and every move is a durable
 * {@code message:read} event, so every device of every member agrees on read state and unread
 * counts. Delivered cursors are different: {@code DeliveryReceipts} moves them without an event
 * and pushes an ephemeral {@code message:delivered} (docs/subsystems/delivery.md).
 */
@Service
public class ReadReceiptService {

    /** The caller's read position in a chat after the request, with the unread count it implies. */
    public record ReadState(UUID chatId, UUID userId, UUID messageId, Instant readAt, long unreadCount) {
    }

    private final MessageRepository messages;
    private final ChatAccess access;
    private final EventStore events;
    private final TransactionTemplate transaction;
    private final Clock clock;

    ReadReceiptService(MessageRepository messages, ChatAccess access, EventStore events,
                       TransactionTemplate transaction, Clock clock) {
        this.messages = messages;
        this.access = access;
        this.events = events;
        this.transaction = transaction;
        this.clock = clock;
    }

    /**
     * Marks everything up to and including the message as read by the caller. Marking an older
     * message changes nothing (the cursor never moves back) and answers the current state.
     */
    public ReadState markRead(UUID me, UUID chatId, UUID messageId) {
        Membership membership = access.requireMember(me, chatId);
        if (messageId == null) {
            throw ApiException.validation("messageId", "messageId is required");
        }
        MessageRow message = messages.find(messageId).filter(row -> row.chatId().equals(chatId))
                .orElseThrow(() -> ApiException.notFound("Message"));
        if (message.position() > membership.lastReadPosition()) {
            ReadState moved = transaction.execute(status -> {
                long position = events.reservePosition();
                Instant readAt = messages.moveRead(chatId, me, messageId, message.position(), now()).orElse(null);
                if (readAt == null) {
                    return null;
                }
                long unread = messages.unreadCount(chatId, me, message.position());
                events.append(position, new Event.MessageRead(chatId, messageId, me, readAt, unread));
                return new ReadState(chatId, me, messageId, readAt, unread);
            });
            if (moved != null) {
                return moved;
            }
        }
        MessageRepository.ReadCursor cursor = messages.readCursor(chatId, me).orElseThrow(() -> ApiException.notFound("Chat"));
        return new ReadState(chatId, me, cursor.messageId(), cursor.readAt(),
                messages.unreadCount(chatId, me, cursor.position()));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
