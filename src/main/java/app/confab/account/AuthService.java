package app.confab.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.platform.ApiException;
import app.confab.platform.AuditLog;
import app.confab.platform.AuthenticatedUser;
import app.confab.platform.RateLimiter;

/**
 * Registration, sign-in, token refresh and sign-out: the password policy of docs/subsystems/accounts.md ("Registration and passwords"), bcrypt
 * cost 12, and sessions whose refresh tokens rotate (see docs/subsystems/accounts.md).
 */
@Service
public class AuthService {

    private static final Logger log = LoggerFactory.getLogger(AuthService.class);

    private final UserRepository users;
    private final SessionRepository sessions;
    private final SessionEnds sessionEnds;
    private final TokenService tokens;
    private final Passwords passwords;
    private final RateLimiter rateLimiter;
    private final Clock clock;
    private final AuditLog audit;
    private final RegistrationGate registrationGate;
    private final TransactionTemplate transactions;
    private final boolean passwordLogin;

    public AuthService(UserRepository users, SessionRepository sessions, SessionEnds sessionEnds, TokenService tokens,
                       Passwords passwords, RateLimiter rateLimiter, Clock clock, AuditLog audit,
                       RegistrationGate registrationGate, TransactionTemplate transactions,
                       @org.springframework.beans.factory.annotation.Value("${confab.password-login:true}") boolean passwordLogin) {
        this.passwordLogin = passwordLogin;
        this.users = users;
        this.sessions = sessions;
        this.sessionEnds = sessionEnds;
        this.tokens = tokens;
        this.passwords = passwords;
        this.rateLimiter = rateLimiter;
        this.clock = clock;
        this.audit = audit;
        this.registrationGate = registrationGate;
        this.transactions = transactions;
    }

    /** {@code inviteToken}: needed while registration is by invitation only. */
    public record RegisterRequest(String username, String password, String passwordConfirm, String displayName,
                                  String inviteToken) {
    }

    public record LoginRequest(String username, String password) {
    }

    public record RefreshRequest(String refreshToken) {
    }

    public record LogoutRequest(String refreshToken) {
    }

    public record Client(String address, String userAgent) {
    }

    /** What register, login and refresh answer: the user and a fresh token pair ({@code expiresIn} in seconds). */
    public record SignedIn(UserView user, String accessToken, String refreshToken, long expiresIn) {
    }

    public SignedIn register(RegisterRequest request, Client client) {
        requirePasswordLogin();
        List<ApiException.FieldError> errors = new ArrayList<>();
        String username = request == null ? null : request.username();
        Usernames.check("username", username).ifPresent(errors::add);
        String password = request == null ? null : request.password();
        errors.addAll(PasswordPolicy.check("password", password));
        if (request == null || request.passwordConfirm() == null || !request.passwordConfirm().equals(password)) {
            errors.add(new ApiException.FieldError("passwordConfirm", "Passwords do not match"));
        }
        String displayName = request == null || request.displayName() == null || request.displayName().isBlank()
                ? username : request.displayName().strip();
        if (request != null && request.displayName() != null && !request.displayName().isBlank()) {
            DisplayNames.check("displayName", displayName).ifPresent(errors::add);
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        String hash = passwords.hash(password);
        String inviteToken = request.inviteToken();
        UserRow user = transactions.execute(status -> {
            users.lockRegistrations();
            registrationGate.admit(username, inviteToken, !users.anyUsers());
            return users.insert(username, hash, displayName)
                    .orElseThrow(() -> ApiException.conflict("Username is already taken"));
        });
        audit.registered(user.id(), user.username(), client.address());
        return signIn(user, client);
    }

    public SignedIn login(LoginRequest request, Client client) {
        requirePasswordLogin();
        List<ApiException.FieldError> errors = new ArrayList<>();
        if (request == null || request.username() == null || request.username().isBlank()) {
            errors.add(new ApiException.FieldError("username", "Username is required"));
        }
        if (request == null || request.password() == null || request.password().isEmpty()) {
            errors.add(new ApiException.FieldError("password", "Password is required"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        // Seed §8.5: 5 failed attempts per 15 minutes per username and client. Only failures take a
        // token, but once they are spent even the right password waits, or guessing could go on.
        String limitKey = request.username().toLowerCase() + "|" + client.address();
        Duration wait = rateLimiter.checkAvailable(RateLimiter.Limit.FAILED_LOGIN, limitKey);
        if (wait != null) {
            throw ApiException.rateLimited("Too many failed login attempts, try again later", wait);
        }
        UserRow user = users.findByUsername(request.username()).orElse(null);
        if (!passwords.matches(request.password(), user == null ? null : user.passwordHash())) {
            rateLimiter.tryAcquire(RateLimiter.Limit.FAILED_LOGIN, limitKey);
            audit.loginFailed(request.username(), client.address());
            throw ApiException.unauthorized("Invalid username or password");
        }
        if (user.isDeactivated()) {
            // Said only after the right password, so it tells a guesser nothing.
            audit.loginRefused(user.id(), user.username(), client.address(), "deactivated");
            throw ApiException.unauthorized("This account has been deactivated");
        }
        audit.login(user.id(), client.address());
        return signIn(user, client);
    }

    /**
     * Exchanges a refresh token for a new pair. Each refresh token works once: the session row holds
     * the id of the one current token, swapped atomically. A valid but no-longer-current token of a
     * live session means the token was copied; the whole session is ended so the copy and the
     * original both stop working (access tokens included: they are checked against the session).
     */
    public SignedIn refresh(RefreshRequest request) {
        if (request == null || request.refreshToken() == null || request.refreshToken().isBlank()) {
            throw ApiException.validation("refreshToken", "Refresh token is required");
        }
        TokenService.RefreshClaims claims = tokens.verifyRefreshToken(request.refreshToken());
        Instant now = clock.instant();
        UUID nextTokenId = UUID.randomUUID();
        if (!sessions.rotate(claims.sessionId(), claims.tokenId(), nextTokenId, now, now.plus(TokenService.REFRESH_TTL))) {
            SessionRow session = sessions.find(claims.sessionId()).orElse(null);
            if (session != null && session.isActive(now) && !session.currentTokenId().equals(claims.tokenId())) {
                sessionEnds.endSession(session.userId(), session.id(), "refresh_reuse");
                log.warn("Refresh token reuse on session {} of user {}: session revoked", session.id(), session.userId());
                throw ApiException.unauthorized("Refresh token was already used; the session has been ended");
            }
            throw ApiException.unauthorized("Session has ended; sign in again");
        }
        UserRow user = users.findById(claims.userId())
                .orElseThrow(() -> ApiException.unauthorized("Session has ended; sign in again"));
        if (user.isDeactivated()) {
            sessionEnds.endAll(user.id(), "deactivated");
            throw ApiException.unauthorized("This account has been deactivated");
        }
        return new SignedIn(UserView.of(user), tokens.accessToken(user.id(), claims.sessionId()),
                tokens.refreshToken(user.id(), claims.sessionId(), nextTokenId), tokens.accessTtlSeconds());
    }

    /**
     * Ends the session named by the bearer access token and/or the refresh token in the body.
     * Succeeds when at least one of them is valid; anything else is 401.
     */
    public void logout(LogoutRequest request, AuthenticatedUser caller) {
        Instant now = clock.instant();
        boolean ended = false;
        String refreshToken = request == null ? null : request.refreshToken();
        if (refreshToken != null && !refreshToken.isBlank()) {
            try {
                TokenService.RefreshClaims claims = tokens.verifyRefreshToken(refreshToken);
                sessionEnds.endSession(claims.userId(), claims.sessionId(), "logout");
                ended = true;
            } catch (ApiException e) {
                if (caller == null) {
                    throw e;
                }
            }
        }
        if (caller != null) {
            sessionEnds.endSession(caller.userId(), caller.sessionId(), "logout");
            ended = true;
        }
        if (!ended) {
            throw ApiException.unauthorized("Send the session's refresh token or a valid access token");
        }
        if (caller != null) {
            audit.logout(caller.userId());
        }
    }

    /** Signs in an account the identity provider vouched for (single sign-on). */
    public SignedIn signInWithProvider(UUID userId, Client client) {
        UserRow user = users.findById(userId).orElseThrow(() -> ApiException.unauthorized("Account no longer exists"));
        if (user.isDeactivated()) {
            audit.loginRefused(user.id(), user.username(), client.address(), "deactivated");
            throw ApiException.unauthorized("This account has been deactivated");
        }
        audit.login(user.id(), client.address());
        return signIn(user, client);
    }

    public boolean passwordLogin() {
        return passwordLogin;
    }

    private void requirePasswordLogin() {
        if (!passwordLogin) {
            throw ApiException.forbidden("Password sign-in is turned off on this server; use single sign-on");
        }
    }

    private SignedIn signIn(UserRow user, Client client) {
        UUID sessionId = UUID.randomUUID();
        UUID tokenId = UUID.randomUUID();
        sessions.create(sessionId, user.id(), tokenId, clock.instant().plus(TokenService.REFRESH_TTL),
                client.userAgent(), client.address());
        return new SignedIn(UserView.of(user), tokens.accessToken(user.id(), sessionId),
                tokens.refreshToken(user.id(), sessionId, tokenId), tokens.accessTtlSeconds());
    }
}
