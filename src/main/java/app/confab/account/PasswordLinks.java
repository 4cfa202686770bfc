package app.confab.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.platform.ApiException;
import app.confab.platform.AuditLog;

/**
 * One-time links that set a password ({@code /reset/{token}}): an administrator's reset of a
 * forgotten password, and the first password of an account an administrator made. Only the
 * token's SHA-256 is stored. Using one sets the password and ends every session of the account.
 */
@Service
public class PasswordLinks {

    public static final Duration RESET_TTL = Duration.ofHours(24);
    /** An account made by an administrator waits longer for its owner to pick a password. */
    public static final Duration SET_TTL = Duration.ofDays(7);

    private final JdbcClient jdbc;
    private final UserRepository users;
    private final Passwords passwords;
    private final SessionEnds sessionEnds;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Clock clock;

    public PasswordLinks(JdbcClient jdbc, UserRepository users, Passwords passwords, SessionEnds sessionEnds,
                         TransactionTemplate transactions, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.users = users;
        this.passwords = passwords;
        this.sessionEnds = sessionEnds;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    public record Issued(String token, String url, Instant expiresAt) {
    }

    public record UseRequest(String token, String password, String passwordConfirm) {
    }

    /** What the reset page shows before the new password is chosen. */
    public record LinkInfo(String username, String purpose, Instant expiresAt) {
    }

    /** A new link for {@code userId}; earlier unused links of the account stop working. */
    public Issued issue(UUID userId, String purpose, UUID createdBy) {
        String token = Secrets.newToken();
        Instant now = clock.instant();
        Instant expiresAt = now.plus("set".equals(purpose) ? SET_TTL : RESET_TTL);
        transactions.executeWithoutResult(status -> {
            jdbc.sql("UPDATE password_tokens SET used_at = :now WHERE user_id = :userId AND used_at IS NULL")
                    .param("userId", userId).param("now", Timestamp.from(now)).update();
            jdbc.sql("""
                    INSERT INTO password_tokens (token_hash, user_id, purpose, created_by, created_at, expires_at)
                    VALUES (:hash, :userId, :purpose, :createdBy, :now, :expiresAt)
                    """)
                    .param("hash", Secrets.sha256(token))
                    .param("userId", userId)
                    .param("purpose", purpose)
                    .param("createdBy", createdBy)
                    .param("now", Timestamp.from(now))
                    .param("expiresAt", Timestamp.from(expiresAt))
                    .update();
        });
        return new Issued(token, "/reset/" + token, expiresAt);
    }

    public LinkInfo describe(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            throw invalid();
        }
        return jdbc.sql("""
                SELECT u.username, t.purpose, t.expires_at FROM password_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_hash = :hash AND t.used_at IS NULL AND t.expires_at > :now AND u.deactivated_at IS NULL
                """)
                .param("hash", Secrets.sha256(token))
                .param("now", Timestamp.from(clock.instant()))
                .query((rs, n) -> new LinkInfo(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
                .optional()
                .orElseThrow(PasswordLinks::invalid);
    }

    /** Sets the password through a link (once), ends every session of the account. */
    public void use(UseRequest request) {
        String token = request == null ? null : request.token();
        if (token == null || token.isBlank()) {
            throw ApiException.validation("token", "Token is required");
        }
        String password = request.password();
        List<ApiException.FieldError> errors = PasswordPolicy.check("password", password);
        if (request.passwordConfirm() != null && !request.passwordConfirm().equals(password)) {
            errors.add(new ApiException.FieldError("passwordConfirm", "Passwords do not match"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        String hash = passwords.hash(password);
        Instant now = clock.instant();
        UUID userId = transactions.execute(status -> {
            UUID owner = jdbc.sql("""
                    UPDATE password_tokens t SET used_at = :now
                    FROM users u
                    WHERE t.token_hash = :hash AND t.used_at IS NULL AND t.expires_at > :now
                      AND u.id = t.user_id AND u.deactivated_at IS NULL
                    RETURNING t.user_id
                    """)
                    .param("hash", Secrets.sha256(token))
                    .param("now", Timestamp.from(now))
                    .query(UUID.class)
                    .optional()
                    .orElseThrow(PasswordLinks::invalid);
            users.updatePassword(owner, hash, now);
            sessionEnds.endAll(owner, "password_reset");
            return owner;
        });
        audit.store("password_reset_used", userId, userId, null, null, null, null);
    }

    private static ApiException invalid() {
        return new ApiException(app.confab.platform.ErrorCode.NOT_FOUND, "This link is not valid or has expired");
    }
}
