package app.confab.delivery;

import java.util.List;
import java.util.UUID;

/**
 * An ephemeral event on its way to every node (typing, presence, delivered receipts): rendered
 * once from its {@link app.confab.protocol.Event.Ephemeral} record by {@link Frames#push}.
 *
 * @param type     the server event name, e.g. {@code typing:start}
 * @param audience the users whose connections receive it
 * @param payload  the event's {@code data} object as JSON text
 */
public record EphemeralPush(String type, List<UUID> audience, String payload) {
}
