package app.confab.sso;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import app.confab.account.AuthService;
import app.confab.platform.ApiException;
import app.confab.platform.ClientAddress;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

/** Public single sign-on routes (404 when OIDC is not configured). */
@RestController
@RequestMapping("/api/auth/oidc")
@Tag(name = "Single sign-on", description = "OpenID Connect: authorization code with PKCE")
class OidcController {

    private final OidcService oidc;
    private final ClientAddress clientAddress;

    OidcController(OidcService oidc, ClientAddress clientAddress) {
        this.oidc = oidc;
        this.clientAddress = clientAddress;
    }

    record ExchangeRequest(String code) {
    }

    @Operation(summary = "Start signing in with the identity provider (302 to it)")
    @GetMapping("/login")
    ResponseEntity<Void> login(@RequestParam(name = "next", required = false) String next) {
        return redirect(oidc.start(callbackUrl(), next));
    }

    @Operation(summary = "The identity provider's redirect back; 302 to the web client with a one-time code")
    @GetMapping("/callback")
    ResponseEntity<Void> callback(@RequestParam(name = "code", required = false) String code,
                                  @RequestParam(name = "state", required = false) String state,
                                  @RequestParam(name = "error", required = false) String error) {
        if (error != null) {
            return redirect(URI.create("/login?sso_error=" + URLEncoder.encode(error.length() > 50 ? error.substring(0, 50) : error, StandardCharsets.UTF_8)));
        }
        try {
            OidcService.Completed done = oidc.complete(code, state, callbackUrl());
            // A fragment is not sent to servers or in Referer headers.
            return redirect(URI.create("/oidc/complete#code=" + done.handoffCode() + "&next="
                    + URLEncoder.encode(done.next(), StandardCharsets.UTF_8)));
        } catch (ApiException e) {
            if (e.code() == app.confab.platform.ErrorCode.NOT_FOUND) {
                throw e;
            }
            return redirect(URI.create("/login?sso_error=" + URLEncoder.encode(e.getMessage(), StandardCharsets.UTF_8)));
        }
    }

    @Operation(summary = "Trade the one-time code for Confab's access and refresh tokens")
    @PostMapping("/exchange")
    AuthService.SignedIn exchange(@RequestBody(required = false) ExchangeRequest request, HttpServletRequest http) {
        return oidc.exchange(request == null ? null : request.code(),
                new AuthService.Client(clientAddress.of(http), http.getHeader("User-Agent")));
    }

    private static String callbackUrl() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/api/auth/oidc/callback").build().toUriString();
    }

    private static ResponseEntity<Void> redirect(URI location) {
        return ResponseEntity.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, location.toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
