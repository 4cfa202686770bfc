package app.confab.delivery;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import app.confab.account.SessionsEnded;
import app.confab.platform.AccessTokenVerifier;
import tools.jackson.databind.ObjectMapper;

/**
 * Ends the sockets (close code 4401) and waiting long-polls (401) of sign-in sessions that ended,
 * on every node, within a second (docs/subsystems/delivery.md, "When a session ends"). Two paths:
 * <ul>
 * <li>fast: {@link SessionsEnded} (published by account.SessionEnds after the revocation committed)
 * goes over the event bus as an ephemeral push without audience, so every node, this one
 * included, closes its matching connections at once;</li>
 * <li>sure: every 500 ms each node asks the database, in one query, which of its open
 * connections' sessions have ended, so the bound holds while the bus (Redis) is down or a bus
 * message was lost.</li>
 * </ul>
 */
@Component
class SessionEndings {

    /** The bus push's type; it has no audience, so no client ever sees it. */
    static final String TYPE = "session:ended";
    private static final Logger log = LoggerFactory.getLogger(SessionEndings.class);

    private record Ended(UUID userId, List<UUID> sessionIds) {
    }

    private final WebSocketSessions sockets;
    private final LongPollService longPolls;
    private final AccessTokenVerifier tokens;
    private final EventBus bus;
    private final ObjectMapper objectMapper;

    SessionEndings(WebSocketSessions sockets, LongPollService longPolls, AccessTokenVerifier tokens, EventBus bus,
                   ObjectMapper objectMapper) {
        this.sockets = sockets;
        this.longPolls = longPolls;
        this.tokens = tokens;
        this.bus = bus;
        this.objectMapper = objectMapper;
        bus.subscribeEphemeral(push -> {
            if (TYPE.equals(push.type())) {
                received(push.payload());
            }
        });
    }

    @EventListener
    void onSessionsEnded(SessionsEnded event) {
        // The bus hands it to this node's receivers too (both bus kinds deliver locally first).
        bus.publishEphemeral(new EphemeralPush(TYPE, List.of(),
                objectMapper.writeValueAsString(new Ended(event.userId(), event.sessionIds()))));
    }

    private void received(String payload) {
        try {
            end(new HashSet<>(objectMapper.readValue(payload, Ended.class).sessionIds()));
        } catch (RuntimeException e) {
            log.warn("Ignoring an unreadable session:ended push: {}", e.toString());
        }
    }

    @Scheduled(fixedDelay = 500, initialDelay = 500)
    void checkRevocations() {
        Set<UUID> open = sockets.authSessionIds();
        open.addAll(longPolls.waitingSessions());
        if (open.isEmpty()) {
            return;
        }
        try {
            Set<UUID> ended = tokens.endedSessions(open);
            if (!ended.isEmpty()) {
                end(ended);
            }
        } catch (RuntimeException e) {
            // The database is unreachable: nothing can be decided now; the next check asks again.
            log.debug("Session revocation check failed: {}", e.toString());
        }
    }

    private void end(Set<UUID> ended) {
        sockets.endSessions(ended);
        longPolls.endSessions(ended);
    }
}
