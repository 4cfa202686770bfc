package app.confab.admin;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import app.confab.platform.ApiException;
import app.confab.platform.AuthenticatedUser;
import app.confab.platform.CursorPage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code /api/admin/**}: deployment administration, administrators only (403 FORBIDDEN otherwise). */
@RestController
@RequestMapping("/api/admin")
@Tag(name = "Administration", description = "Administrators only; every action is audited")
class AdminController {

    private final AdminAccess access;
    private final AdminUserService users;
    private final SettingsService settings;
    private final InviteService invites;
    private final AuditQuery audit;
    private final StatsService stats;
    private final ExportService exports;
    private final RetentionService retention;

    AdminController(AdminAccess access, AdminUserService users, SettingsService settings, InviteService invites,
                    AuditQuery audit, StatsService stats, ExportService exports, RetentionService retention) {
        this.access = access;
        this.users = users;
        this.settings = settings;
        this.invites = invites;
        this.audit = audit;
        this.stats = stats;
        this.exports = exports;
        this.retention = retention;
    }

    record UserResponse(AdminUserService.AdminUserView user) {
    }

    record SettingsResponse(String registration, String allowedUsernamePattern, Integer messageRetentionDays,
                            int maxUploadMb, Integer defaultStorageQuotaMb, int auditRetentionDays,
                            RetentionService.RunReport lastRetentionRun, boolean linkPreviews) {
    }

    @Operation(summary = "Every account with role, status, created, last seen, message count and storage used")
    @GetMapping("/users")
    CursorPage<AdminUserService.AdminUserView> listUsers(AuthenticatedUser caller,
                                                         @RequestParam(name = "q", required = false) String q,
                                                         @RequestParam(name = "status", required = false) String status,
                                                         @RequestParam(name = "cursor", required = false) String cursor,
                                                         @RequestParam(name = "limit", required = false) String limit) {
        access.require(caller);
        return users.list(q, status, limit, cursor);
    }

    @Operation(summary = "Make an account with a one-time password-set link (works while registration is closed)")
    @PostMapping("/users")
    @ResponseStatus(HttpStatus.CREATED)
    AdminUserService.CreatedUser createUser(AuthenticatedUser caller, @RequestBody(required = false) Map<String, Object> body) {
        access.require(caller);
        return users.create(caller.userId(), body, baseUrl());
    }

    @Operation(summary = "One account")
    @GetMapping("/users/{id}")
    UserResponse user(AuthenticatedUser caller, @PathVariable UUID id) {
        access.require(caller);
        return new UserResponse(users.one(id));
    }

    @Operation(summary = "Deactivate: no sign-in, sessions end at once, hidden from search; messages stay (409 for the last admin)")
    @PostMapping("/users/{id}/deactivate")
    UserResponse deactivate(AuthenticatedUser caller, @PathVariable UUID id) {
        access.require(caller);
        return new UserResponse(users.deactivate(caller.userId(), id));
    }

    @Operation(summary = "Reactivate a deactivated account")
    @PostMapping("/users/{id}/reactivate")
    UserResponse reactivate(AuthenticatedUser caller, @PathVariable UUID id) {
        access.require(caller);
        return new UserResponse(users.reactivate(caller.userId(), id));
    }

    @Operation(summary = "A one-time reset link (/reset/{token}, valid 24 h); using it ends every session")
    @PostMapping("/users/{id}/password-reset")
    @ResponseStatus(HttpStatus.CREATED)
    AdminUserService.LinkView passwordReset(AuthenticatedUser caller, @PathVariable UUID id) {
        access.require(caller);
        return users.passwordReset(caller.userId(), id, baseUrl());
    }

    @Operation(summary = "Appoint or remove an administrator: {\"role\":\"admin\"|\"member\"} (409 for the last admin)")
    @PutMapping("/users/{id}/role")
    UserResponse setRole(AuthenticatedUser caller, @PathVariable UUID id, @RequestBody(required = false) Map<String, Object> body) {
        access.require(caller);
        return new UserResponse(users.setRole(caller.userId(), id, body));
    }

    @Operation(summary = "Registration policy, username pattern, retention, upload and quota limits")
    @GetMapping("/settings")
    SettingsResponse getSettings(AuthenticatedUser caller) {
        access.require(caller);
        return settingsResponse(settings.current());
    }

    @Operation(summary = "Change settings (partial: absent fields keep their value; null clears optional ones)")
    @PutMapping("/settings")
    SettingsResponse putSettings(AuthenticatedUser caller, @RequestBody(required = false) Map<String, Object> body) {
        access.require(caller);
        return settingsResponse(settings.update(caller.userId(), body));
    }

    @Operation(summary = "Run message retention now (the daily job); answers what it removed")
    @PostMapping("/retention/run")
    RetentionService.RunReport runRetention(AuthenticatedUser caller) {
        access.require(caller);
        RetentionService.RunReport report = retention.runNow();
        return report;
    }

    @Operation(summary = "Create an invite link: {\"expiresInHours\", \"maxUses\"} (defaults 168 h, 1 use)")
    @PostMapping("/invites")
    @ResponseStatus(HttpStatus.CREATED)
    InviteService.InviteView createInvite(AuthenticatedUser caller, @RequestBody(required = false) Map<String, Object> body) {
        access.require(caller);
        return invites.create(caller.userId(), body, baseUrl());
    }

    @Operation(summary = "Every invite with its uses and status (tokens are shown only when created)")
    @GetMapping("/invites")
    Map<String, List<InviteService.InviteView>> listInvites(AuthenticatedUser caller) {
        access.require(caller);
        return Map.of("data", invites.list());
    }

    @Operation(summary = "Revoke an invite")
    @DeleteMapping("/invites/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeInvite(AuthenticatedUser caller, @PathVariable UUID id) {
        access.require(caller);
        invites.revoke(caller.userId(), id);
    }

    @Operation(summary = "The audit log, newest first; actor is a user id or username")
    @GetMapping("/audit")
    CursorPage<AuditQuery.AuditEntry> audit(AuthenticatedUser caller,
                                            @RequestParam(name = "cursor", required = false) String cursor,
                                            @RequestParam(name = "limit", required = false) String limit,
                                            @RequestParam(name = "actor", required = false) String actor,
                                            @RequestParam(name = "action", required = false) String action) {
        access.require(caller);
        return audit.list(cursor, limit, actor, action);
    }

    @Operation(summary = "Users (total, active in 1/7/30 days), chats, messages per day, storage, database size")
    @GetMapping("/stats")
    StatsService.Stats stats(AuthenticatedUser caller) {
        access.require(caller);
        return stats.stats();
    }

    @Operation(summary = "Start an export of every chat (zip of JSON Lines, members and files) as a background job")
    @PostMapping("/exports")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ExportService.ExportJob startExport(AuthenticatedUser caller) {
        access.require(caller);
        return exports.start(caller.userId(), "all");
    }

    @Operation(summary = "Export jobs, newest first")
    @GetMapping("/exports")
    Map<String, List<ExportService.ExportJob>> listExports(AuthenticatedUser caller) {
        access.require(caller);
        return Map.of("data", exports.list("all", caller.userId()));
    }

    @Operation(summary = "One export job with its progress; downloadUrl once done")
    @GetMapping("/exports/{id}")
    ExportService.ExportJob export(AuthenticatedUser caller, @PathVariable UUID id) {
        access.require(caller);
        return exports.find(id, caller.userId(), "all").orElseThrow(() -> ApiException.notFound("Export"));
    }

    @Operation(summary = "The finished export's zip")
    @GetMapping("/exports/{id}/download")
    ResponseEntity<Resource> downloadExport(AuthenticatedUser caller, @PathVariable UUID id) {
        access.require(caller);
        ExportService.ExportJob job = exports.find(id, caller.userId(), "all").orElseThrow(() -> ApiException.notFound("Export"));
        return zip(exports.archive(job), "confab-export-" + id + ".zip");
    }

    static ResponseEntity<Resource> zip(Path file, String name) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/zip"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new FileSystemResource(file));
    }

    private SettingsResponse settingsResponse(AdminSettings s) {
        return new SettingsResponse(s.registration(), s.allowedUsernamePattern(), s.messageRetentionDays(),
                s.maxUploadMb(), s.defaultStorageQuotaMb(), s.auditRetentionDays(), retention.lastRun().orElse(null),
                s.linkPreviews());
    }

    static String baseUrl() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    }
}
