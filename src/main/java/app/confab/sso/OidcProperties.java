package app.confab.sso;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** OpenID Connect settings (OIDC_* environment variables); single sign-on is on when all three of issuer, id and secret are set. */
@ConfigurationProperties(prefix = "confab.oidc")
public record OidcProperties(String issuer, String clientId, String clientSecret, String usernameClaim, String adminGroup,
                             String groupsClaim, String providerName) {

    public boolean enabled() {
        return present(issuer) && present(clientId) && present(clientSecret);
    }

    public boolean hasAdminGroup() {
        return present(adminGroup);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
