package app.confab.admin;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.account.AccountProvisioning;
import app.confab.account.PasswordLinks;
import app.confab.account.SessionEnds;
import app.confab.account.UserDirectory;
import app.confab.account.UserRow;
import app.confab.platform.ApiException;
import app.confab.platform.AuditLog;
import app.confab.platform.CursorPage;

/**
 * Account administration: list, deactivate/reactivate, reset links, roles, accounts made by an
 * administrator. There is always at least one active administrator (409 otherwise).
 */
@Service
class AdminUserService {

    private static final Set<String> STATUSES = Set.of("active", "deactivated");
    private static final Pattern USERNAME_CURSOR = Pattern.compile("[a-z0-9_]{1,50}");

    private final AdminUserRepository adminUsers;
    private final UserDirectory users;
    private final SessionEnds sessionEnds;
    private final PasswordLinks passwordLinks;
    private final AccountProvisioning provisioning;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Clock clock;

    AdminUserService(AdminUserRepository adminUsers, UserDirectory users, SessionEnds sessionEnds,
                     PasswordLinks passwordLinks, AccountProvisioning provisioning, TransactionTemplate transactions,
                     AuditLog audit, Clock clock) {
        this.adminUsers = adminUsers;
        this.users = users;
        this.sessionEnds = sessionEnds;
        this.passwordLinks = passwordLinks;
        this.provisioning = provisioning;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    record AdminUserView(UUID id, String username, String displayName, String role, String status,
                         java.time.Instant createdAt, java.time.Instant lastSeen, java.time.Instant deactivatedAt,
                         long messageCount, long storageUsedBytes) {

        static AdminUserView of(AdminUserRepository.AdminUserRow row) {
            return new AdminUserView(row.id(), row.username(), row.displayName(), row.role(), row.status(),
                    row.createdAt(), row.lastSeen(), row.deactivatedAt(), row.messageCount(), row.storageUsedBytes());
        }
    }

    record LinkView(String token, String url, java.time.Instant expiresAt) {
    }

    record CreatedUser(AdminUserView user, LinkView passwordSetLink) {
    }

    CursorPage<AdminUserView> list(String query, String status, String limitParam, String cursor) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        String q = query == null ? null : query.strip();
        if (q != null && q.length() > 100) {
            errors.add(new ApiException.FieldError("q", "Search text must be at most 100 characters"));
        }
        if (status != null && !status.isEmpty() && !STATUSES.contains(status)) {
            errors.add(new ApiException.FieldError("status", "Must be active or deactivated"));
        }
        int limit = CursorPage.parseLimit(limitParam, 50, CursorPage.MAX_LIMIT, errors);
        if (cursor != null && !cursor.isEmpty() && !USERNAME_CURSOR.matcher(cursor).matches()) {
            errors.add(new ApiException.FieldError("cursor", "Cursor is not valid"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        List<AdminUserRepository.AdminUserRow> rows = adminUsers.list(q == null || q.isEmpty() ? null : q,
                status == null || status.isEmpty() ? null : status, cursor, limit + 1);
        return CursorPage.of(rows, limit, AdminUserView::of, row -> row.username().toLowerCase(Locale.ROOT));
    }

    AdminUserView one(UUID id) {
        return view(id);
    }

    AdminUserView deactivate(UUID actorId, UUID id) {
        transactions.executeWithoutResult(status -> {
            adminUsers.lockAdminChanges();
            UserRow user = users.findById(id).orElseThrow(() -> ApiException.notFound("User"));
            if (user.isDeactivated()) {
                return;
            }
            if (user.isAdmin() && adminUsers.activeAdmins() <= 1) {
                throw ApiException.conflict("The last administrator cannot be deactivated; appoint another first");
            }
            adminUsers.setDeactivated(id, clock.instant());
            sessionEnds.endAll(id, "deactivated");
            audit.adminAction(actorId, "user_deactivated", id, user.username(),
                    Map.of("status", "active"), Map.of("status", "deactivated"));
        });
        return view(id);
    }

    AdminUserView reactivate(UUID actorId, UUID id) {
        UserRow user = users.findById(id).orElseThrow(() -> ApiException.notFound("User"));
        if (user.isDeactivated()) {
            adminUsers.setDeactivated(id, null);
            audit.adminAction(actorId, "user_reactivated", id, user.username(),
                    Map.of("status", "deactivated"), Map.of("status", "active"));
        }
        return view(id);
    }

    AdminUserView setRole(UUID actorId, UUID id, Map<String, Object> body) {
        Object role = body == null ? null : body.get("role");
        if (!"admin".equals(role) && !"member".equals(role)) {
            throw ApiException.validation("role", "Must be admin or member");
        }
        transactions.executeWithoutResult(status -> {
            adminUsers.lockAdminChanges();
            UserRow user = users.findById(id).orElseThrow(() -> ApiException.notFound("User"));
            if (user.role().equals(role)) {
                return;
            }
            if (user.isAdmin() && !user.isDeactivated() && adminUsers.activeAdmins() <= 1) {
                throw ApiException.conflict("The last administrator cannot be demoted; appoint another first");
            }
            adminUsers.setRole(id, (String) role);
            audit.adminAction(actorId, "role_changed", id, user.username(),
                    Map.of("role", user.role()), Map.of("role", role));
        });
        return view(id);
    }

    LinkView passwordReset(UUID actorId, UUID id, String baseUrl) {
        UserRow user = users.findById(id).orElseThrow(() -> ApiException.notFound("User"));
        if (user.isDeactivated()) {
            throw ApiException.conflict("Reactivate the account before resetting its password");
        }
        PasswordLinks.Issued link = passwordLinks.issue(id, "reset", actorId);
        audit.adminAction(actorId, "password_reset_issued", id, user.username(), null,
                Map.of("expiresAt", link.expiresAt().toString()));
        return new LinkView(link.token(), baseUrl + link.url(), link.expiresAt());
    }

    CreatedUser create(UUID actorId, Map<String, Object> body, String baseUrl) {
        Object username = body == null ? null : body.get("username");
        Object displayName = body == null ? null : body.get("displayName");
        List<ApiException.FieldError> errors = new ArrayList<>();
        if (!(username instanceof String)) {
            errors.add(new ApiException.FieldError("username", "Username is required"));
        }
        if (displayName != null && !(displayName instanceof String)) {
            errors.add(new ApiException.FieldError("displayName", "Must be a string"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        AccountProvisioning.Provisioned made = provisioning.create((String) username, (String) displayName, actorId);
        audit.adminAction(actorId, "user_created", made.user().id(), made.user().username(), null,
                Map.of("username", made.user().username(), "role", made.user().role()));
        return new CreatedUser(view(made.user().id()),
                new LinkView(made.link().token(), baseUrl + made.link().url(), made.link().expiresAt()));
    }

    private AdminUserView view(UUID id) {
        return adminUsers.find(id).map(AdminUserView::of).orElseThrow(() -> ApiException.notFound("User"));
    }
}
