package app.confab.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One entry of the durable event stream: a change some users may see.
 *
 * @param position  the stream position; the client's cursor is the position of the last event it saw
 * @param type      the seed's server event name, e.g. {@code message:new}
 * @param chatId    the chat the event belongs to (members within their membership window see it), or null
 * @param userId    when set, only this user sees the event (chatId is then informational)
 * @param payload   the event's {@code data} object as JSON text
 * @param audience  who should receive it live, computed when it was written; empty when read back from
 *                  the database (readers then apply the visibility rules in SQL)
 */
public record StreamEvent(long position, String type, UUID chatId, UUID userId, String payload, Instant createdAt,
                          List<UUID> audience) {

    public String cursor() {
        return Long.toString(position);
    }
}
