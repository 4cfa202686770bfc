package app.confab.stream;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One entry of the durable event stream as stored: a change some users may see. The typed record
 * it was written from ({@link app.confab.protocol.Event}) is serialised once into {@code payload};
 * live delivery and catch-up both send that text, so the frame is the same either way.
 *
 * @param position   the stream position; the client's cursor is the position of the last event it saw
 * @param type       the server event name, e.g. {@code message:new}
 * @param chatId     the chat the event belongs to (members within their membership window see it), or null
 * @param userId     when set, only this user sees the event (chatId is then informational)
 * @param payload    the event's {@code data} object as JSON text
 * @param audience   who should receive it live, computed when it was written; empty when read back from
 *                   the database for one user (readers then apply the visibility rules in SQL)
 * @param newMessage for {@code message:new}: the message and its sender (they drive delivered
 *                   receipts); taken from the record on append, from the messages table on read-back
 */
public record StreamEvent(long position, String type, UUID chatId, UUID userId, String payload, Instant createdAt,
                          List<UUID> audience, NewMessage newMessage) {

    /** The message a {@code message:new} event announces. */
    public record NewMessage(UUID id, UUID senderId) {
    }

    public String cursor() {
        return Long.toString(position);
    }

    StreamEvent withAudience(List<UUID> recipients) {
        return new StreamEvent(position, type, chatId, userId, payload, createdAt, recipients, newMessage);
    }
}
