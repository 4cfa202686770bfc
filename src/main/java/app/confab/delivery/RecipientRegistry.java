package app.confab.delivery;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/** Who is listening on this node, by user. */
@Component
class RecipientRegistry {

    private final Map<UUID, Set<Recipient>> byUser = new ConcurrentHashMap<>();

    void add(Recipient recipient) {
        byUser.computeIfAbsent(recipient.userId(), ignored -> ConcurrentHashMap.newKeySet()).add(recipient);
    }

    void remove(Recipient recipient) {
        byUser.computeIfPresent(recipient.userId(), (user, recipients) -> {
            recipients.remove(recipient);
            return recipients.isEmpty() ? null : recipients;
        });
    }

    void deliver(List<UUID> audience, Delivery delivery) {
        for (UUID userId : audience) {
            Set<Recipient> recipients = byUser.get(userId);
            if (recipients != null) {
                for (Recipient recipient : recipients) {
                    recipient.deliver(delivery);
                }
            }
        }
    }
}
