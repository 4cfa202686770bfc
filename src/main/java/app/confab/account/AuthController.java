package app.confab.account;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import app.confab.platform.AuthenticatedUser;
import app.confab.platform.ClientAddress;
import jakarta.servlet.http.HttpServletRequest;

@RestController
@RequestMapping("/api/auth")
class AuthController {

    private final AuthService auth;
    private final PasswordLinks passwordLinks;
    private final ClientAddress clientAddress;

    AuthController(AuthService auth, PasswordLinks passwordLinks, ClientAddress clientAddress) {
        this.auth = auth;
        this.passwordLinks = passwordLinks;
        this.clientAddress = clientAddress;
    }

    /** Sets a new password with a one-time link's token ({@code /reset/{token}}); ends every session. */
    @PostMapping("/password-reset")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void usePasswordLink(@RequestBody PasswordLinks.UseRequest request) {
        passwordLinks.use(request);
    }

    /** Whether a one-time link still works, and for whom: what the reset page shows first. */
    @GetMapping("/password-reset/{token}")
    PasswordLinks.LinkInfo describePasswordLink(@PathVariable String token) {
        return passwordLinks.describe(token);
    }

    @PostMapping("/register")
    @ResponseStatus(HttpStatus.CREATED)
    AuthService.SignedIn register(@RequestBody AuthService.RegisterRequest request, HttpServletRequest http) {
        return auth.register(request, client(http));
    }

    @PostMapping("/login")
    AuthService.SignedIn login(@RequestBody AuthService.LoginRequest request, HttpServletRequest http) {
        return auth.login(request, client(http));
    }

    @PostMapping("/refresh")
    AuthService.SignedIn refresh(@RequestBody AuthService.RefreshRequest request) {
        return auth.refresh(request);
    }

    /** Ends the session; send its refresh token in the body and/or its access token as the bearer. */
    @PostMapping("/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logout(@RequestBody(required = false) AuthService.LogoutRequest request,
                @RequestAttribute(name = AuthenticatedUser.ATTRIBUTE, required = false) AuthenticatedUser caller) {
        auth.logout(request, caller);
    }

    private AuthService.Client client(HttpServletRequest http) {
        return new AuthService.Client(clientAddress.of(http), http.getHeader("User-Agent"));
    }
}
