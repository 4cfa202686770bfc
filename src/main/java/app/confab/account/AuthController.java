package app.confab.account;

import org.springframework.http.HttpStatus;
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
    private final ClientAddress clientAddress;

    AuthController(AuthService auth, ClientAddress clientAddress) {
        this.auth = auth;
        this.clientAddress = clientAddress;
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
