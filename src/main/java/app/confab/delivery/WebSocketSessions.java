package app.confab.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;

import app.confab.platform.DrainListener;
import app.confab.platform.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import app.confab.stream.EventStore;

/**
 * This node's open WebSocket connections: creates them, ticks each ({@link ClientSession#tick}: auth
 * timeout, token expiry, pings, idle close), ends those of ended sign-in sessions, and tells every
 * client to reconnect elsewhere when the node shuts down.
 */
@Component
class WebSocketSessions implements DrainListener {

    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final SessionServices services;
    private final Clock clock;

    WebSocketSessions(EventStore store, RecipientRegistry registry, Frames frames, DeliveryReceipts receipts,
                      ConnectionTracker presence, DeliverySettings settings, Clock clock, MeterRegistry meters) {
        this.clock = clock;
        Counter slowConsumers = Counter.builder("confab.websocket.slow.consumer.closes")
                .description("Connections closed because their outbound queue was full").register(meters);
        this.services = new SessionServices(store, registry, frames, receipts, presence, settings, clock, slowConsumers);
        Gauge.builder("websocket.connections.active", sessions, Map::size)
                .description("Open WebSocket connections on this node").register(meters);
    }

    ClientSession open(WebSocketSession ws, RateLimiter.ConnectionBudgets budgets) {
        ClientSession session = new ClientSession(ws, services, budgets);
        sessions.put(ws.getId(), session);
        return session;
    }

    void closed(ClientSession session) {
        sessions.remove(session.id());
        session.ended();
    }

    /** The sign-in sessions of this node's authenticated sockets. */
    Set<UUID> authSessionIds() {
        Set<UUID> ids = new HashSet<>();
        for (ClientSession session : sessions.values()) {
            UUID id = session.authSessionId();
            if (id != null && !session.isClosing()) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Closes this node's sockets of these sign-in sessions with 4401. */
    void endSessions(Set<UUID> ended) {
        for (ClientSession session : sessions.values()) {
            UUID id = session.authSessionId();
            if (id != null && ended.contains(id)) {
                session.closeWith(null, CloseCodes.SESSION_ENDED);
            }
        }
    }

    /** Four times a second, so a token's expiry closes its socket well within a second. */
    @Scheduled(fixedDelay = 250)
    void sweep() {
        Instant now = clock.instant();
        for (ClientSession session : sessions.values()) {
            session.tick(now);
        }
    }

    /**
     * The node is stopping (platform.NodeDrain, after readiness turned 503 and new upgrades are
     * refused, before the web server stops): clients reconnect — to another node — and resume from
     * their cursor.
     */
    @Override
    public void drain() {
        for (ClientSession session : sessions.values()) {
            session.closeWith(null, CloseCodes.SERVICE_RESTART);
        }
    }
}
