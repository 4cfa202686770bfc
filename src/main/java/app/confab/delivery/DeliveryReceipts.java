package app.confab.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import app.confab.protocol.Event;
import app.confab.membership.ChatAccess;

/**
 * Delivered receipts from cursors. When a {@code message:new} reaches a user's connection (or a
 * long-poll returns it), the member's delivered cursor in that chat may move to it. Cursors are
 * collected in memory and written together every flush (one UPDATE for all pending, forward only),
 * then each cursor that moved is announced once as an ephemeral {@code message:delivered}
 * ("user U has everything up to message M"): writes per message stay constant however large the
 * chat, and a burst of messages costs one receipt per member, not one per message.
 *
 * <p>The cursors commit without waiting for the disk ({@code synchronous_commit = off}): a crash may
 * undo the last fraction of a second of cursor moves (the next delivery moves them again), never a
 * message; and the stream's commits, which do wait, no longer queue behind the receipts' flushes
 * ({@link DeliveryRepository#advanceDelivered}).
 */
@Component
class DeliveryReceipts {

    private static final Logger log = LoggerFactory.getLogger(DeliveryReceipts.class);

    private record Key(UUID chatId, UUID userId) {
    }

    private record Pending(long position, UUID messageId, UUID senderId) {
    }

    private final Map<Key, Pending> pending = new ConcurrentHashMap<>();
    private final DeliveryRepository repository;
    private final ChatAccess access;
    private final EventBus bus;
    private final Frames frames;
    private final DeliverySettings settings;
    private final Clock clock;

    DeliveryReceipts(DeliveryRepository repository, ChatAccess access, EventBus bus, Frames frames, DeliverySettings settings, Clock clock) {
        this.repository = repository;
        this.access = access;
        this.bus = bus;
        this.frames = frames;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * A durable event reached the user. Only message:new from someone else moves the delivered
     * cursor (a sender's own message is no receipt, and must not replace a pending one).
     */
    void sent(UUID userId, Delivery delivery) {
        if (delivery.messageId() == null || delivery.chatId() == null
                || userId.equals(delivery.senderId())) {
            return;
        }
        Pending next = new Pending(delivery.position(), delivery.messageId(), delivery.senderId());
        pending.merge(new Key(delivery.chatId(), userId), next,
                (current, candidate) -> candidate.position() > current.position() ? candidate : current);
    }

    @Scheduled(fixedDelay = 200)
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<Key, Pending> batch = new LinkedHashMap<>();
        for (Key key : List.copyOf(pending.keySet())) {
            Pending value = pending.remove(key);
            if (value != null) {
                batch.put(key, value);
            }
        }
        List<DeliveryRepository.DeliveredCursor> cursors = new ArrayList<>(batch.size());
        batch.forEach((key, value) -> cursors.add(
                new DeliveryRepository.DeliveredCursor(key.chatId(), key.userId(), value.position(), value.messageId())));
        try {
            Instant now = clock.instant();
            List<DeliveryRepository.DeliveredCursor> moved = repository.advanceDelivered(cursors, now);
            announce(moved, batch, now);
        } catch (RuntimeException e) {
            // Put them back (unless newer ones arrived meanwhile) and try at the next flush.
            log.warn("Could not write delivered cursors: {}", e.toString());
            batch.forEach((key, value) -> pending.merge(key, value,
                    (current, old) -> current.position() >= old.position() ? current : old));
        }
    }

    private void announce(List<DeliveryRepository.DeliveredCursor> moved, Map<Key, Pending> batch, Instant deliveredAt) {
        if (moved.isEmpty()) {
            return;
        }
        Map<UUID, List<UUID>> members = access.activeMembers(
                moved.stream().map(DeliveryRepository.DeliveredCursor::chatId).distinct().toList());
        for (DeliveryRepository.DeliveredCursor receipt : moved) {
            List<UUID> chatMembers = members.getOrDefault(receipt.chatId(), List.of());
            Pending sent = batch.get(new Key(receipt.chatId(), receipt.userId()));
            List<UUID> audience = chatMembers.size() <= settings.receiptFanoutLimit()
                    ? chatMembers.stream().filter(member -> !member.equals(receipt.userId())).toList()
                    : sent.senderId() == null ? List.of() : List.of(sent.senderId());
            if (audience.isEmpty()) {
                continue;
            }
            bus.publishEphemeral(frames.push(audience,
                    new Event.MessageDelivered(receipt.chatId(), receipt.messageId(), receipt.userId(), deliveredAt)));
        }
    }
}
