package app.confab.sso;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import app.confab.account.AccountProvisioning;
import app.confab.account.AuthService;
import app.confab.account.Secrets;
import app.confab.account.UserDirectory;
import app.confab.account.UserRow;
import app.confab.platform.ApiException;
import app.confab.platform.AuditLog;
import app.confab.platform.ErrorCode;

/**
 * OpenID Connect sign-in (Nimbus OAuth 2.0 / OIDC SDK): the authorization-code flow with PKCE
 * (S256), state and nonce kept in the database (any node may receive the callback), the ID token
 * validated against the provider's keys, accounts made on first sign-in and linked by issuer and
 * subject, the role taken from a group claim when {@code OIDC_ADMIN_GROUP} is set. The browser then
 * trades a one-time code for Confab's own tokens.
 */
@Service
public class OidcService {

    private static final Logger log = LoggerFactory.getLogger(OidcService.class);
    static final Duration STATE_TTL = Duration.ofMinutes(10);
    static final Duration HANDOFF_TTL = Duration.ofMinutes(1);

    private final OidcProperties properties;
    private final JdbcClient jdbc;
    private final UserDirectory users;
    private final AccountProvisioning provisioning;
    private final AuthService auth;
    private final AuditLog audit;
    private final Clock clock;
    private volatile Provider provider;

    OidcService(OidcProperties properties, JdbcClient jdbc, UserDirectory users, AccountProvisioning provisioning,
                AuthService auth, AuditLog audit, Clock clock) {
        this.properties = properties;
        this.jdbc = jdbc;
        this.users = users;
        this.provisioning = provisioning;
        this.auth = auth;
        this.audit = audit;
        this.clock = clock;
    }

    private record Provider(OIDCProviderMetadata metadata, IDTokenValidator validator) {
    }

    public boolean enabled() {
        return properties.enabled();
    }

    public String providerName() {
        return properties.providerName() == null || properties.providerName().isBlank() ? "single sign-on" : properties.providerName();
    }

    /** The provider's metadata, fetched on first use and kept; a failed fetch is retried next time. */
    private Provider provider() {
        Provider current = provider;
        if (current == null) {
            try {
                OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(properties.issuer()));
                IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), new ClientID(properties.clientId()),
                        JWSAlgorithm.RS256, metadata.getJWKSetURI().toURL());
                current = new Provider(metadata, validator);
                provider = current;
            } catch (Exception e) {
                log.warn("Identity provider {} is unreachable", properties.issuer(), e);
                throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "The identity provider is unreachable; try again later");
            }
        }
        return current;
    }

    /** Where to send the browser to sign in; {@code next} is where to land afterwards (a local path). */
    URI start(String redirectUri, String next) {
        requireEnabled();
        Provider p = provider();
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        jdbc.sql("""
                INSERT INTO oidc_states (state_hash, code_verifier, nonce, next_path, expires_at)
                VALUES (:hash, :verifier, :nonce, :next, :expiresAt)
                """)
                .param("hash", Secrets.sha256(state.getValue()))
                .param("verifier", verifier.getValue())
                .param("nonce", nonce.getValue())
                .param("next", safeNext(next))
                .param("expiresAt", Timestamp.from(clock.instant().plus(STATE_TTL)))
                .update();
        return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile", "email"),
                new ClientID(properties.clientId()), URI.create(redirectUri))
                .endpointURI(p.metadata().getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
    }

    record Completed(String handoffCode, String next) {
    }

    /** The provider's redirect back: checks state, trades the code (with the PKCE verifier), validates the ID token. */
    Completed complete(String code, String stateValue, String redirectUri) {
        requireEnabled();
        if (code == null || code.isBlank() || stateValue == null || stateValue.isBlank() || stateValue.length() > 200) {
            throw ApiException.validation("state", "The sign-in response is incomplete");
        }
        record Pending(String verifier, String nonce, String next) {
        }
        Pending pending = jdbc.sql("""
                DELETE FROM oidc_states WHERE state_hash = :hash AND expires_at > :now
                RETURNING code_verifier, nonce, next_path
                """)
                .param("hash", Secrets.sha256(stateValue))
                .param("now", Timestamp.from(clock.instant()))
                .query((rs, n) -> new Pending(rs.getString(1), rs.getString(2), rs.getString(3)))
                .optional()
                .orElseThrow(() -> ApiException.unauthorized("This sign-in has expired or was already used; start again"));
        Provider p = provider();
        IDTokenClaimsSet claims;
        try {
            TokenRequest request = new TokenRequest(p.metadata().getTokenEndpointURI(),
                    new ClientSecretBasic(new ClientID(properties.clientId()), new Secret(properties.clientSecret())),
                    new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(redirectUri), new CodeVerifier(pending.verifier())));
            TokenResponse response = OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
            if (!response.indicatesSuccess()) {
                log.info("Identity provider refused the code: {}", response.toErrorResponse().getErrorObject());
                throw ApiException.unauthorized("The identity provider refused the sign-in");
            }
            JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
            claims = p.validator().validate(idToken, new Nonce(pending.nonce()));
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            log.info("Single sign-on failed: {}", e.toString());
            throw ApiException.unauthorized("The sign-in could not be verified");
        }
        UserRow user = account(claims);
        String handoff = Secrets.newToken();
        jdbc.sql("INSERT INTO oidc_handoffs (code_hash, user_id, expires_at) VALUES (:hash, :userId, :expiresAt)")
                .param("hash", Secrets.sha256(handoff))
                .param("userId", user.id())
                .param("expiresAt", Timestamp.from(clock.instant().plus(HANDOFF_TTL)))
                .update();
        return new Completed(handoff, pending.next());
    }

    /** Trades the one-time code from the callback for Confab's tokens. */
    AuthService.SignedIn exchange(String code, AuthService.Client client) {
        requireEnabled();
        if (code == null || code.isBlank() || code.length() > 100) {
            throw ApiException.validation("code", "Code is required");
        }
        UUID userId = jdbc.sql("DELETE FROM oidc_handoffs WHERE code_hash = :hash AND expires_at > :now RETURNING user_id")
                .param("hash", Secrets.sha256(code))
                .param("now", Timestamp.from(clock.instant()))
                .query(UUID.class)
                .optional()
                .orElseThrow(() -> ApiException.unauthorized("This sign-in code has expired or was already used"));
        return auth.signInWithProvider(userId, client);
    }

    private UserRow account(IDTokenClaimsSet claims) {
        String issuer = claims.getIssuer().getValue();
        String subject = claims.getSubject().getValue();
        Optional<UserRow> linked = users.findByProviderSubject(issuer, subject);
        UserRow user;
        if (linked.isPresent()) {
            user = linked.get();
        } else {
            String claimName = properties.usernameClaim() == null || properties.usernameClaim().isBlank()
                    ? "preferred_username" : properties.usernameClaim();
            Object preferred = claims.getClaim(claimName);
            Object name = claims.getClaim("name");
            user = provisioning.createLinked(preferred instanceof String s ? s : subject,
                    name instanceof String s ? s : null, issuer, subject);
            audit.store("sso_account_created", user.id(), user.id(), user.username(), null, null,
                    Map.of("issuer", issuer, "subject", subject));
        }
        if (properties.hasAdminGroup() && !user.isDeactivated()) {
            String role = groups(claims).contains(properties.adminGroup()) ? "admin" : "member";
            if (!role.equals(user.role()) && (role.equals("admin") || otherActiveAdmins(user.id()) > 0)) {
                jdbc.sql("UPDATE users SET role = :role, updated_at = now() WHERE id = :id")
                        .param("role", role).param("id", user.id()).update();
                audit.store("role_changed", null, user.id(), user.username(), null, Map.of("role", user.role()),
                        Map.of("role", role, "by", "identity provider group"));
                user = users.findById(user.id()).orElseThrow();
            }
        }
        return user;
    }

    private long otherActiveAdmins(UUID userId) {
        return jdbc.sql("SELECT count(*) FROM users WHERE role = 'admin' AND deactivated_at IS NULL AND id <> :id")
                .param("id", userId).query(Long.class).single();
    }

    private List<String> groups(IDTokenClaimsSet claims) {
        String claimName = properties.groupsClaim() == null || properties.groupsClaim().isBlank() ? "groups" : properties.groupsClaim();
        Object value = claims.getClaim(claimName);
        if (value instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value instanceof String s ? List.of(s) : List.of();
    }

    private void requireEnabled() {
        if (!enabled()) {
            throw ApiException.notFound("Single sign-on");
        }
    }

    static String safeNext(String next) {
        return next != null && next.startsWith("/") && !next.startsWith("//") && !next.contains("\\") && next.length() <= 500
                ? next : "/chats";
    }

    Instant now() {
        return clock.instant();
    }
}
