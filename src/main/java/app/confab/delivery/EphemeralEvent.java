package app.confab.delivery;

import java.util.List;
import java.util.UUID;

/**
 * A server event that is pushed once and never stored (typing, presence, delivered receipts).
 *
 * @param type     the seed's server event name, e.g. {@code typing:start}
 * @param audience the users whose connections receive it
 * @param payload  the event's {@code data} object as JSON text
 */
public record EphemeralEvent(String type, List<UUID> audience, String payload) {
}
