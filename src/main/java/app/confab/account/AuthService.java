package app.confab.account;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Service;

import app.confab.platform.ApiException;
import app.confab.platform.RateLimiter;

/** Registration and sign-in: the password policy of seed §8.3, bcrypt cost 12, sessions with rotating refresh tokens. */
@Service
public class AuthService {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_]{3,50}");
    // Verifying against this keeps a login for an unknown user as slow as for a known one.
    private static final String DUMMY_HASH = new BCryptPasswordEncoder(12).encode("not-a-real-password");

    private final UserRepository users;
    private final SessionRepository sessions;
    private final TokenService tokens;
    private final RateLimiter rateLimiter;
    private final Clock clock;
    private final BCryptPasswordEncoder passwordEncoder = new BCryptPasswordEncoder(12);

    public AuthService(UserRepository users, SessionRepository sessions, TokenService tokens, RateLimiter rateLimiter,
                       Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.tokens = tokens;
        this.rateLimiter = rateLimiter;
        this.clock = clock;
    }

    public record RegisterRequest(String username, String password, String passwordConfirm, String displayName) {
    }

    public record LoginRequest(String username, String password) {
    }

    public record Client(String address, String userAgent) {
    }

    public record SignedIn(UserView user, String accessToken, String refreshToken, long expiresIn) {
    }

    public SignedIn register(RegisterRequest request, Client client) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        String username = request == null ? null : request.username();
        if (username == null || username.isBlank()) {
            errors.add(new ApiException.FieldError("username", "Username is required"));
        } else if (username.length() < 3) {
            errors.add(new ApiException.FieldError("username", "Username must be at least 3 characters"));
        } else if (username.length() > 50) {
            errors.add(new ApiException.FieldError("username", "Username must be at most 50 characters"));
        } else if (!USERNAME.matcher(username).matches()) {
            errors.add(new ApiException.FieldError("username", "Username may contain only letters, digits and _"));
        }
        String password = request == null ? null : request.password();
        errors.addAll(PasswordPolicy.check("password", password));
        if (request == null || request.passwordConfirm() == null || !request.passwordConfirm().equals(password)) {
            errors.add(new ApiException.FieldError("passwordConfirm", "Passwords do not match"));
        }
        String displayName = request == null || request.displayName() == null || request.displayName().isBlank()
                ? username : request.displayName().strip();
        if (displayName != null && displayName.length() > 100) {
            errors.add(new ApiException.FieldError("displayName", "Display name must be at most 100 characters"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        UserRow user = users.insert(username, passwordEncoder.encode(password), displayName)
                .orElseThrow(() -> ApiException.conflict("Username is already taken"));
        return signIn(user, client);
    }

    public SignedIn login(LoginRequest request, Client client) {
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
        String limitKey = request.username().toLowerCase() + "|" + client.address();
        Duration wait = rateLimiter.checkAvailable(RateLimiter.Limit.FAILED_LOGIN, limitKey);
        if (wait != null) {
            throw ApiException.rateLimited("Too many failed login attempts, try again later", wait);
        }
        UserRow user = users.findByUsername(request.username()).orElse(null);
        boolean matches = passwordEncoder.matches(request.password(), user != null ? user.passwordHash() : DUMMY_HASH);
        if (user == null || !matches) {
            rateLimiter.tryAcquire(RateLimiter.Limit.FAILED_LOGIN, limitKey);
            throw ApiException.unauthorized("Invalid username or password");
        }
        return signIn(user, client);
    }

    private SignedIn signIn(UserRow user, Client client) {
        UUID sessionId = UUID.randomUUID();
        UUID tokenId = UUID.randomUUID();
        sessions.create(sessionId, user.id(), tokenId, clock.instant().plus(TokenService.REFRESH_TTL),
                client.userAgent(), client.address());
        return new SignedIn(UserView.of(user), tokens.accessToken(user.id(), sessionId),
                tokens.refreshToken(user.id(), sessionId, tokenId), TokenService.ACCESS_TTL.toSeconds());
    }
}
