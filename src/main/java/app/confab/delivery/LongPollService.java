package app.confab.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Service;

import app.confab.platform.ApiException;
import app.confab.platform.DrainListener;
import app.confab.stream.EventStore;
import app.confab.stream.StreamEvent;

/**
 * The long-poll fallback and catch-up API: the caller's events after a cursor, waiting for some
 * when there are none. The request blocks its (virtual) thread while it waits. While it waits it
 * counts as a connection for presence, and it collects ephemeral events (typing, presence) that
 * arrive meanwhile; between polls those are not kept.
 */
@Service
class LongPollService implements DrainListener {

    record Result(List<Delivery> events, long cursor) {
    }

    private final Set<LongPollWaiter> waiting = ConcurrentHashMap.newKeySet();
    private final EventStore store;
    private final RecipientRegistry registry;
    private final ConnectionTracker presence;
    private final DeliveryReceipts receipts;
    private final Frames frames;
    private final DeliverySettings settings;

    LongPollService(EventStore store, RecipientRegistry registry, ConnectionTracker presence, DeliveryReceipts receipts,
                    Frames frames, DeliverySettings settings) {
        this.store = store;
        this.registry = registry;
        this.presence = presence;
        this.receipts = receipts;
        this.frames = frames;
        this.settings = settings;
    }

    /** Without a cursor: no events, and the current position to start from. */
    Result poll(UUID userId, UUID sessionId, Long cursor, Duration timeout) throws InterruptedException {
        if (cursor == null) {
            return new Result(List.of(), store.currentPosition());
        }
        LongPollWaiter waiter = new LongPollWaiter(userId, sessionId);
        // Listen before reading, so nothing committed after the read can slip by unnoticed.
        registry.add(waiter);
        waiting.add(waiter);
        presence.connected(userId);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (waiter.isSessionEnded()) {
                    throw ApiException.unauthorized("Session has ended; sign in again");
                }
                List<Delivery> ephemeral = waiter.drainEphemeral();
                long snapshot = store.currentPosition();
                List<StreamEvent> page = store.readForUser(userId, cursor, snapshot, settings.catchUpPageSize());
                // Checked after the read: compaction that removed any of (cursor, snapshot] has
                // committed its new horizon by then.
                if (cursor < store.horizon()) {
                    return new Result(List.of(frames.resyncDelivery(snapshot)), snapshot);
                }
                if (!page.isEmpty() || !ephemeral.isEmpty()) {
                    List<Delivery> events = new ArrayList<>(page.size() + ephemeral.size());
                    for (StreamEvent event : page) {
                        Delivery delivery = frames.durable(event);
                        receipts.sent(userId, delivery);
                        events.add(delivery);
                    }
                    events.addAll(ephemeral);
                    long next = page.size() == settings.catchUpPageSize() ? page.getLast().position() : snapshot;
                    return new Result(events, next);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || waiter.isWoken()) {
                    return new Result(List.of(), snapshot);
                }
                waiter.await(remaining);
            }
        } finally {
            waiting.remove(waiter);
            registry.remove(waiter);
            presence.disconnected(userId);
        }
    }

    /** The sign-in sessions of the waiting requests (checked against revocations by SessionEndings). */
    Set<UUID> waitingSessions() {
        Set<UUID> ids = new java.util.HashSet<>();
        waiting.forEach(waiter -> ids.add(waiter.sessionId()));
        return ids;
    }

    /** Waiting requests of these sessions answer 401 now. */
    void endSessions(Set<UUID> ended) {
        for (LongPollWaiter waiter : waiting) {
            if (ended.contains(waiter.sessionId())) {
                waiter.sessionEnded();
            }
        }
    }

    /** The node is stopping: waiting polls answer now, and the client's next poll goes to another node. */
    @Override
    public void drain() {
        waiting.forEach(LongPollWaiter::wake);
    }
}
