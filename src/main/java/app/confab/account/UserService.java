package app.confab.account;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.annotation.JsonAlias;

import app.confab.platform.ApiException;
import app.confab.platform.AuditLog;
import app.confab.platform.AuthenticatedUser;
import app.confab.platform.CursorPage;
import app.confab.platform.RateLimiter;

/** Profiles: reading users, changing one's own display name, password and avatar, and finding people. */
@Service
public class UserService {

    static final int AVATAR_URL_MAX_LENGTH = 500;
    private static final int SEARCH_QUERY_MAX_LENGTH = 100;
    private static final Pattern USERNAME_CURSOR = Pattern.compile("[a-z0-9_]{1,50}");

    private final UserRepository users;
    private final SessionEnds sessionEnds;
    private final Passwords passwords;
    private final RateLimiter rateLimiter;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final AuditLog audit;

    public UserService(UserRepository users, SessionEnds sessionEnds, Passwords passwords, RateLimiter rateLimiter,
                       Clock clock, TransactionTemplate transactions, AuditLog audit) {
        this.users = users;
        this.sessionEnds = sessionEnds;
        this.passwords = passwords;
        this.rateLimiter = rateLimiter;
        this.clock = clock;
        this.transactions = transactions;
        this.audit = audit;
    }

    /**
     * {@code PUT /api/users/me}. Every field is optional; a password change needs all three
     * password fields. {@code password}/{@code passwordConfirm} are accepted as aliases.
     */
    public record UpdateProfileRequest(
            String displayName,
            String currentPassword,
            @JsonAlias("password") String newPassword,
            @JsonAlias({"passwordConfirm", "confirmPassword"}) String newPasswordConfirm) {

        boolean changesPassword() {
            return currentPassword != null || newPassword != null || newPasswordConfirm != null;
        }
    }

    public UserView get(UUID id) {
        return users.findById(id).map(UserView::of).orElseThrow(() -> ApiException.notFound("User"));
    }

    /**
     * Changes the caller's display name and/or password. A password change checks the current
     * password (its failures share the failed-login limit) and ends every other session of the
     * user, so a stolen session does not outlive the change.
     */
    public UserView updateProfile(AuthenticatedUser caller, UpdateProfileRequest request) {
        if (request == null || (request.displayName() == null && !request.changesPassword())) {
            throw ApiException.validation("body",
                    "Nothing to update: send displayName and/or currentPassword, newPassword and newPasswordConfirm");
        }
        List<ApiException.FieldError> errors = new ArrayList<>();
        String displayName = request.displayName() == null ? null : request.displayName().strip();
        if (displayName != null) {
            DisplayNames.check("displayName", displayName).ifPresent(errors::add);
        }
        if (request.changesPassword()) {
            if (request.currentPassword() == null || request.currentPassword().isEmpty()) {
                errors.add(new ApiException.FieldError("currentPassword", "Current password is required"));
            }
            errors.addAll(PasswordPolicy.check("newPassword", request.newPassword()));
            if (request.newPasswordConfirm() == null || !request.newPasswordConfirm().equals(request.newPassword())) {
                errors.add(new ApiException.FieldError("newPasswordConfirm", "Passwords do not match"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        UserRow user = users.findById(caller.userId()).orElseThrow(() -> ApiException.unauthorized("User no longer exists"));
        Instant now = clock.instant();
        if (request.changesPassword()) {
            String limitKey = "password-change|" + caller.userId();
            Duration wait = rateLimiter.checkAvailable(RateLimiter.Limit.FAILED_LOGIN, limitKey);
            if (wait != null) {
                throw ApiException.rateLimited("Too many wrong current passwords, try again later", wait);
            }
            if (!passwords.matches(request.currentPassword(), user.passwordHash())) {
                rateLimiter.tryAcquire(RateLimiter.Limit.FAILED_LOGIN, limitKey);
                throw ApiException.validation("currentPassword", "Current password is incorrect");
            }
        }
        // bcrypt (a quarter second) runs before the transaction, so it holds no connection.
        String newHash = request.changesPassword() ? passwords.hash(request.newPassword()) : null;
        transactions.executeWithoutResult(status -> {
            if (newHash != null) {
                users.updatePassword(caller.userId(), newHash, now);
                sessionEnds.endAllBut(caller.userId(), caller.sessionId(), "password_change");
            }
            if (displayName != null) {
                users.updateDisplayName(caller.userId(), displayName, now);
            }
        });
        if (newHash != null) {
            audit.passwordChanged(caller.userId());
        }
        return get(caller.userId());
    }

    /**
     * Sets or (with null) clears a user's avatar. Accepts an absolute http(s) URL or a path on this
     * server under {@code /api/} (e.g. an uploaded attachment's URL), so image upload can reuse it.
     */
    public UserView updateAvatar(UUID userId, String avatarUrl) {
        String value = avatarUrl == null ? null : avatarUrl.strip();
        if (value != null) {
            validateAvatarUrl(value);
        }
        return users.updateAvatar(userId, value, clock.instant()).map(UserView::of)
                .orElseThrow(() -> ApiException.notFound("User"));
    }

    static void validateAvatarUrl(String value) {
        String problem = avatarUrlProblem(value);
        if (problem != null) {
            throw ApiException.validation("avatarUrl", problem);
        }
    }

    private static String avatarUrlProblem(String value) {
        if (value.isEmpty()) {
            return "Avatar URL must not be empty; send null to remove the avatar";
        }
        if (value.length() > AVATAR_URL_MAX_LENGTH) {
            return "Avatar URL must be at most " + AVATAR_URL_MAX_LENGTH + " characters";
        }
        if (value.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || c == '\\')) {
            return "Avatar URL must not contain spaces, control characters or backslashes";
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return "Avatar URL is not a valid URL";
        }
        if (value.startsWith("/api/")) {
            if (uri.getScheme() != null || uri.getRawAuthority() != null || value.contains("/../") || value.endsWith("/..")) {
                return "Avatar path must be a plain path on this server";
            }
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "Avatar URL must be an http(s) URL or a path on this server starting with /api/";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "Avatar URL must name a host";
        }
        if (uri.getRawUserInfo() != null) {
            return "Avatar URL must not contain credentials";
        }
        return null;
    }

    /**
     * Prefix search on username and display name, case-insensitive, in username order. The caller
     * is left out: search is for finding other people. Cursor: the last username shown, lower-cased.
     */
    public CursorPage<UserView> search(UUID caller, String query, String limitParam, String cursor) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        String prefix = query == null ? "" : query.strip();
        if (prefix.isEmpty()) {
            errors.add(new ApiException.FieldError("q", "Search text is required"));
        } else if (prefix.length() > SEARCH_QUERY_MAX_LENGTH) {
            errors.add(new ApiException.FieldError("q", "Search text must be at most " + SEARCH_QUERY_MAX_LENGTH + " characters"));
        }
        int limit = CursorPage.parseLimit(limitParam, CursorPage.DEFAULT_LIMIT, CursorPage.MAX_LIMIT, errors);
        if (cursor != null && !cursor.isEmpty() && !USERNAME_CURSOR.matcher(cursor).matches()) {
            errors.add(new ApiException.FieldError("cursor", "Cursor is not valid"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        List<UserRow> rows = users.searchByPrefix(prefix, caller, cursor, limit + 1);
        return CursorPage.of(rows, limit, UserView::of, row -> row.username().toLowerCase(Locale.ROOT));
    }
}
