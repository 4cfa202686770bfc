package app.confab.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import javax.crypto.SecretKey;

import org.springframework.stereotype.Service;

import app.confab.platform.AccessTokenVerifier;
import app.confab.platform.AccessTokenVerifier.AccessGrant;
import app.confab.platform.ApiException;
import app.confab.platform.AuthenticatedUser;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;

/**
 * Issues and verifies JWTs (HS256, payloads as docs/subsystems/accounts.md, "Tokens and sessions"). Access tokens live 15 minutes, refresh
 * tokens 7 days. Both carry the session id, so revoking a session (logout, refresh-token reuse)
 * also stops its access tokens.
 */
@Service
public class TokenService implements AccessTokenVerifier {

    public static final Duration ACCESS_TTL = Duration.ofMinutes(15);
    public static final Duration REFRESH_TTL = Duration.ofDays(7);

    /** confab.auth.access-token-ttl (default 15 min): tests shorten it to see sockets end at expiry. */
    private final Duration accessTtl;

    private final SecretKey accessKey;
    private final SecretKey refreshKey;
    private final Clock clock;
    private final SessionRepository sessions;

    public TokenService(JwtSecrets secrets, Clock clock, SessionRepository sessions,
                        @org.springframework.beans.factory.annotation.Value("${confab.auth.access-token-ttl:15m}") Duration accessTtl) {
        this.accessTtl = accessTtl;
        this.accessKey = Keys.hmacShaKeyFor(secrets.accessKey());
        this.refreshKey = Keys.hmacShaKeyFor(secrets.refreshKey());
        this.clock = clock;
        this.sessions = sessions;
    }

    public String accessToken(UUID userId, UUID sessionId) {
        Instant now = clock.instant();
        return Jwts.builder()
                .claim("userId", userId.toString())
                .claim("type", "access")
                .claim("sessionId", sessionId.toString())
                .issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(accessTtl)))
                .signWith(accessKey, Jwts.SIG.HS256)
                .compact();
    }

    public String refreshToken(UUID userId, UUID sessionId, UUID tokenId) {
        Instant now = clock.instant();
        return Jwts.builder()
                .id(tokenId.toString())
                .claim("userId", userId.toString())
                .claim("type", "refresh")
                .claim("sessionId", sessionId.toString())
                .issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(REFRESH_TTL)))
                .signWith(refreshKey, Jwts.SIG.HS256)
                .compact();
    }

    /** How long an access token lives, in seconds (the sign-in response's expiresIn). */
    public long accessTtlSeconds() {
        return accessTtl.toSeconds();
    }

    @Override
    public AuthenticatedUser verifyAccessToken(String token) {
        return verifyAccess(token).user();
    }

    @Override
    public AccessGrant verifyAccess(String token) {
        Claims claims = parse(token, accessKey, "access");
        AuthenticatedUser user = new AuthenticatedUser(uuid(claims, "userId"), uuid(claims, "sessionId"));
        if (!sessions.isActive(user.sessionId(), clock.instant())) {
            throw ApiException.unauthorized("Session has ended; sign in again");
        }
        return new AccessGrant(user, claims.getExpiration().toInstant());
    }

    @Override
    public java.util.Set<UUID> endedSessions(java.util.Collection<UUID> sessionIds) {
        return sessions.ended(sessionIds, clock.instant());
    }

    /** The verified claims of a refresh token: who, which session, which token of that session. */
    public RefreshClaims verifyRefreshToken(String token) {
        Claims claims = parse(token, refreshKey, "refresh");
        if (claims.getId() == null) {
            throw ApiException.unauthorized("Invalid refresh token");
        }
        return new RefreshClaims(uuid(claims, "userId"), uuid(claims, "sessionId"), parseUuid(claims.getId()));
    }

    public record RefreshClaims(UUID userId, UUID sessionId, UUID tokenId) {
    }

    private Claims parse(String token, SecretKey key, String expectedType) {
        try {
            Claims claims = Jwts.parser()
                    .verifyWith(key)
                    .clock(() -> Date.from(clock.instant()))
                    .build()
                    .parseSignedClaims(token)
                    .getPayload();
            if (!expectedType.equals(claims.get("type", String.class))) {
                throw ApiException.unauthorized("Wrong token type");
            }
            return claims;
        } catch (io.jsonwebtoken.ExpiredJwtException e) {
            throw ApiException.unauthorized("Token has expired");
        } catch (JwtException | IllegalArgumentException e) {
            throw ApiException.unauthorized("Invalid token");
        }
    }

    private static UUID uuid(Claims claims, String name) {
        return parseUuid(claims.get(name, String.class));
    }

    private static UUID parseUuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (RuntimeException e) {
            throw ApiException.unauthorized("Invalid token");
        }
    }
}
