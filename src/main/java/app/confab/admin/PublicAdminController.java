package app.confab.admin;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import app.confab.account.AuthService;
import app.confab.account.UserDirectory;
import app.confab.sso.OidcService;
import app.confab.platform.ApiException;
import app.confab.platform.AuthenticatedUser;
import io.swagger.v3.oas.annotations.Operation;

/** What administration shows outside {@code /api/admin}: the sign-up page's policy and one's own export. */
@RestController
class PublicAdminController {

    private final SettingsService settings;
    private final UserDirectory users;
    private final InviteRepository invites;
    private final ExportService exports;
    private final AuthService auth;
    private final OidcService oidc;

    PublicAdminController(SettingsService settings, UserDirectory users, InviteRepository invites, ExportService exports,
                          AuthService auth, OidcService oidc) {
        this.auth = auth;
        this.oidc = oidc;
        this.settings = settings;
        this.users = users;
        this.invites = invites;
        this.exports = exports;
    }

    /**
     * {@code firstAccountIsAdmin}: the server has no account yet, so whoever registers now becomes
     * its administrator. {@code inviteValid} answers for the {@code invite} parameter, if sent.
     */
    record AuthConfig(String registration, boolean firstAccountIsAdmin, boolean passwordLogin, Boolean inviteValid,
                      List<Map<String, String>> identityProviders) {
    }

    @Operation(summary = "Public: the registration policy and sign-in options, for the sign-up and sign-in pages")
    @GetMapping("/api/auth/config")
    AuthConfig config(@RequestParam(name = "invite", required = false) String invite) {
        boolean empty = !users.anyUsers();
        Boolean inviteValid = invite == null || invite.isBlank() ? null : invite.length() <= 100 && invites.isLive(invite);
        List<Map<String, String>> providers = oidc.enabled()
                ? List.of(Map.of("name", oidc.providerName(), "loginUrl", "/api/auth/oidc/login"))
                : List.of();
        return new AuthConfig(empty ? "open" : settings.current().registration(), empty, auth.passwordLogin(), inviteValid,
                providers);
    }

    @Operation(summary = "Export your own data (profile, contacts, chats, your messages and files) as a background job")
    @PostMapping("/api/users/me/export")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ExportService.ExportJob startMyExport(AuthenticatedUser caller) {
        return exports.start(caller.userId(), "user");
    }

    @Operation(summary = "Your export jobs")
    @GetMapping("/api/users/me/exports")
    Map<String, List<ExportService.ExportJob>> myExports(AuthenticatedUser caller) {
        return Map.of("data", exports.list("user", caller.userId()));
    }

    @Operation(summary = "One of your export jobs with its progress")
    @GetMapping("/api/users/me/exports/{id}")
    ExportService.ExportJob myExport(AuthenticatedUser caller, @PathVariable UUID id) {
        return exports.find(id, caller.userId(), "user").orElseThrow(() -> ApiException.notFound("Export"));
    }

    @Operation(summary = "Your finished export's zip")
    @GetMapping("/api/users/me/exports/{id}/download")
    ResponseEntity<Resource> downloadMyExport(AuthenticatedUser caller, @PathVariable UUID id) {
        ExportService.ExportJob job = exports.find(id, caller.userId(), "user").orElseThrow(() -> ApiException.notFound("Export"));
        return AdminController.zip(exports.archive(job), "confab-my-data-" + id + ".zip");
    }
}
