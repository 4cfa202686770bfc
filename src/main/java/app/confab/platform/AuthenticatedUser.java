package app.confab.platform;

import java.util.UUID;

/** Who is calling: taken from a verified access token. Declare it as a controller parameter to require it. */
public record AuthenticatedUser(UUID userId, UUID sessionId) {

    public static final String ATTRIBUTE = "confab.user";

    /** The request attribute holding the access token's expiry ({@link java.time.Instant}). */
    public static final String EXPIRES_AT_ATTRIBUTE = "confab.tokenExpiresAt";
}
