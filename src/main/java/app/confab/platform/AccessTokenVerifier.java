package app.confab.platform;

/** Checks a bearer access token; implemented by the account feature, used by the HTTP and WebSocket edges. */
public interface AccessTokenVerifier {

    /** @throws ApiException UNAUTHORIZED when the token is malformed, forged, expired or of a revoked session */
    AuthenticatedUser verifyAccessToken(String token);
}
