package app.confab.account;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one place sessions end. Each method revokes in the database (so refresh is refused at once
 * and access tokens stop within the session cache's few seconds everywhere) and then publishes
 * {@link SessionsEnded}: after the commit when inside a transaction, at once otherwise.
 */
@Service
public class SessionEnds {

    private final SessionRepository sessions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public SessionEnds(SessionRepository sessions, ApplicationEventPublisher events, Clock clock) {
        this.sessions = sessions;
        this.events = events;
        this.clock = clock;
    }

    public void endSession(UUID userId, UUID sessionId, String reason) {
        if (sessions.revoke(sessionId, reason, clock.instant())) {
            publish(new SessionsEnded(userId, List.of(sessionId), reason));
        }
    }

    public List<UUID> endAll(UUID userId, String reason) {
        List<UUID> ended = sessions.revokeAll(userId, reason, clock.instant());
        publish(new SessionsEnded(userId, ended, reason));
        return ended;
    }

    public List<UUID> endAllBut(UUID userId, UUID keepSessionId, String reason) {
        List<UUID> ended = sessions.revokeOthers(userId, keepSessionId, reason, clock.instant());
        publish(new SessionsEnded(userId, ended, reason));
        return ended;
    }

    private void publish(SessionsEnded event) {
        if (event.sessionIds().isEmpty()) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    events.publishEvent(event);
                }
            });
        } else {
            events.publishEvent(event);
        }
    }
}
