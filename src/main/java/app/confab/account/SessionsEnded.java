package app.confab.account;

import java.util.List;
import java.util.UUID;

/**
 * Published (Spring application event) when sessions of a user end: logout, password change,
 * refresh-token reuse, deactivation, password reset. Published after the revocation committed;
 * the real-time layer listens to close those sessions' sockets (code 4401) on every node.
 * {@code reason} is the revocation reason stored on the session row.
 */
public record SessionsEnded(UUID userId, List<UUID> sessionIds, String reason) {
}
