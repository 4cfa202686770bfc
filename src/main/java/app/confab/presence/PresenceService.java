package app.confab.presence;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import app.confab.delivery.ConnectionTracker;
import app.confab.delivery.DeliverySettings;
import app.confab.delivery.LivePush;
import app.confab.platform.ApiException;
import app.confab.protocol.Event;

/**
 * Presence: a user is online while any connection of theirs (WebSocket, or a waiting long-poll) is
 * open on any node. When the last one closes, after a grace period (a page reload or a long-poll's
 * next request must not flicker), they go offline and last_seen is recorded. Clients may also set
 * themselves away (or online again). Every change is written to {@code users.status} and pushed as
 * {@code user:status} to the user and everyone sharing a chat or an accepted contact with them.
 *
 * <p>Connection counting is in memory per node; other nodes' counts come from the
 * {@link PresenceCounter} (Redis when configured). Database and Redis work runs off the caller's
 * thread, so opening or closing a connection never waits for it.
 */
@Service
public class PresenceService implements ConnectionTracker {

    static final Set<String> STATUSES = Set.of("online", "away", "offline");
    private static final Logger log = LoggerFactory.getLogger(PresenceService.class);

    private final Map<UUID, Integer> localCounts = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> offlineDue = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newVirtualThreadPerTaskExecutor();
    private final PresenceRepository repository;
    private final PresenceCounter counter;
    private final LivePush push;
    private final DeliverySettings settings;
    private final Clock clock;
    private final Instant startedAt;
    private volatile boolean reconciled;

    PresenceService(PresenceRepository repository, PresenceCounter counter, LivePush push,
                    DeliverySettings settings, Clock clock) {
        this.repository = repository;
        this.counter = counter;
        this.push = push;
        this.settings = settings;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    @Override
    public void connected(UUID userId) {
        int count = localCounts.merge(userId, 1, Integer::sum);
        offlineDue.remove(userId);
        worker.execute(() -> {
            publishCount(userId, count);
            if (count == 1) {
                try {
                    repository.comeOnline(userId).ifPresent(change -> broadcast(userId, change.status(), change.lastSeen(), false));
                } catch (RuntimeException e) {
                    log.warn("Could not mark {} online: {}", userId, e.toString());
                }
            }
        });
    }

    @Override
    public void disconnected(UUID userId) {
        Integer count = localCounts.computeIfPresent(userId, (user, n) -> n <= 1 ? null : n - 1);
        int remaining = count == null ? 0 : count;
        if (remaining == 0) {
            offlineDue.put(userId, clock.instant().plus(settings.presenceGrace()));
        }
        worker.execute(() -> publishCount(userId, remaining));
    }

    /** Whether a connection of the user is open here or on another node (yes when that cannot be told). */
    @Override
    public boolean isConnected(UUID userId) {
        if (localCounts.containsKey(userId)) {
            return true;
        }
        try {
            return counter.connectedElsewhere(userId);
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** presence:update from the client. */
    Map<String, Object> update(UUID userId, String status) {
        if (status == null || !STATUSES.contains(status)) {
            throw ApiException.validation("status", "Must be one of online, away, offline");
        }
        repository.setStatus(userId, status, clock.instant())
                .filter(PresenceRepository.StatusChange::changed)
                .ifPresent(change -> broadcast(userId, change.status(), change.lastSeen(), true));
        return Map.of("status", status);
    }

    @Scheduled(fixedDelay = 500)
    void goOfflineWhenDue() {
        Instant now = clock.instant();
        for (Map.Entry<UUID, Instant> due : offlineDue.entrySet()) {
            UUID userId = due.getKey();
            if (due.getValue().isAfter(now) || !offlineDue.remove(userId, due.getValue())) {
                continue;
            }
            if (!localCounts.containsKey(userId)) {
                worker.execute(() -> checkOffline(userId));
            }
        }
    }

    /** Goes offline unless a connection exists here or on another node. */
    private void checkOffline(UUID userId) {
        try {
            if (localCounts.containsKey(userId) || counter.connectedElsewhere(userId)) {
                return;
            }
            repository.setStatus(userId, "offline", clock.instant())
                    .filter(PresenceRepository.StatusChange::changed)
                    .ifPresent(change -> {
                        broadcast(userId, change.status(), change.lastSeen(), false);
                        // A connection may have opened on another node while we decided: undo then.
                        if (localCounts.containsKey(userId) || counter.connectedElsewhere(userId)) {
                            repository.comeOnline(userId).ifPresent(back -> broadcast(userId, back.status(), back.lastSeen(), false));
                        }
                    });
        } catch (RuntimeException e) {
            // Cannot tell (Redis or the database is down): keep the user as they are, ask again later.
            log.warn("Presence check of {} failed: {}", userId, e.toString());
            offlineDue.putIfAbsent(userId, clock.instant().plus(settings.presenceGrace()));
        }
    }

    /**
     * Keeps this node alive in the shared counts and re-checks users whose node died. Once, a while
     * after start, also settles users left online by a crash of the whole deployment.
     */
    @Scheduled(fixedDelay = 10_000, initialDelay = 1_000)
    void heartbeat() {
        try {
            for (UUID orphan : counter.heartbeat(new HashMap<>(localCounts))) {
                worker.execute(() -> checkOffline(orphan));
            }
            if (!reconciled && clock.instant().isAfter(startedAt.plusSeconds(30))) {
                reconciled = true;
                for (UUID userId : repository.usersNotOffline()) {
                    if (!localCounts.containsKey(userId)) {
                        worker.execute(() -> checkOffline(userId));
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("Presence heartbeat failed: {}", e.toString());
        }
    }

    @EventListener(ContextClosedEvent.class)
    void leave() {
        try {
            counter.leave();
        } catch (RuntimeException e) {
            log.warn("Could not leave the presence counts: {}", e.toString());
        }
    }

    private void publishCount(UUID userId, int count) {
        try {
            counter.publish(userId, count);
        } catch (RuntimeException e) {
            log.warn("Could not publish the connection count of {}: {}", userId, e.toString());
        }
    }

    /**
     * To everyone sharing a chat or a contact with the user. The user's own connections hear only
     * the changes they asked for (another device went away); a change caused by their connections
     * coming or going is news to them only on other devices, which then are or were connected.
     */
    private void broadcast(UUID userId, String status, Instant lastSeen, boolean includeSelf) {
        List<UUID> audience = repository.presenceAudience(userId).stream()
                .filter(member -> includeSelf || !member.equals(userId))
                .toList();
        if (audience.isEmpty()) {
            return;
        }
        push.push(audience, new Event.UserStatus(userId, status, lastSeen));
    }
}
