package app.confab.platform;

import java.time.Instant;

/** Checks a bearer access token; implemented by the account feature, used by the HTTP and WebSocket edges. */
public interface AccessTokenVerifier {

    /** @throws ApiException UNAUTHORIZED when the token is malformed, forged, expired or of a revoked session */
    AuthenticatedUser verifyAccessToken(String token);

    /**
     * Like {@link #verifyAccessToken} and also when the token expires: a WebSocket lives as long as
     * the token it was opened (or last refreshed) with.
     */
    AccessGrant verifyAccess(String token);

    /**
     * Which of these sessions have ended (revoked or past their expiry), in one query: each node
     * checks its open sockets' sessions this way every half second, so a session ended anywhere
     * closes its sockets here even when the event bus between nodes is down.
     */
    java.util.Set<java.util.UUID> endedSessions(java.util.Collection<java.util.UUID> sessionIds);

    /** A verified access token: who, and until when. */
    record AccessGrant(AuthenticatedUser user, Instant expiresAt) {
    }
}
