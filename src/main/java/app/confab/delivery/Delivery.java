package app.confab.delivery;

import java.util.UUID;

/**
 * An event ready to push: its frame is rendered once per node, whatever the number of recipients.
 *
 * @param position  the stream position of a durable event; 0 for an ephemeral one
 * @param frame     the whole WebSocket frame (also the long-poll event object)
 * @param messageId for {@code message:new}: the new message (drives delivered receipts)
 * @param senderId  for {@code message:new}: its sender (who receives no receipt for themself)
 */
record Delivery(long position, String type, UUID chatId, String frame, UUID messageId, UUID senderId) {

    boolean durable() {
        return position > 0;
    }
}
