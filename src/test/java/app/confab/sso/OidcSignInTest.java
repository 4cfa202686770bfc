package app.confab.sso;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on against a real OpenID Connect provider (mock-oauth2-server) over real HTTP: the
 * authorization-code flow with PKCE, just-in-time accounts linked by subject, the admin group, the
 * one-time hand-off code, and PASSWORD_LOGIN=false.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"confab.rate-limit.api-per-minute=1000000", "confab.rate-limit.messages-per-second=100000"})
@Import(IntegrationTest.TestClockConfig.class)
@DirtiesContext
class OidcSignInTest {

    // Not an IntegrationTest: its OIDC settings make a context of its own, which needs a database
    // (or embedded data directory) of its own; IntegrationTest's shared one is locked by the shared context.

    @LocalServerPort
    int port;

    private Api api;

    @BeforeEach
    void setUpClient() {
        api = new Api("http://localhost:" + port);
    }

    private static final MockOAuth2Server provider = new MockOAuth2Server();

    static {
        provider.start();
    }

    @DynamicPropertySource
    static void oidc(DynamicPropertyRegistry registry) {
        app.confab.support.TestDatabase.ownDatabase(registry);
        registry.add("confab.oidc.issuer", () -> provider.issuerUrl("corp").toString());
        registry.add("confab.oidc.client-id", () -> "confab");
        registry.add("confab.oidc.client-secret", () -> "confab-secret");
        registry.add("confab.oidc.admin-group", () -> "confab-admins");
        registry.add("confab.oidc.provider-name", () -> "Corp ID");
        registry.add("confab.password-login", () -> "false");
    }

    @AfterAll
    static void stopProvider() {
        provider.shutdown();
    }

    @Autowired
    JdbcClient jdbc;

    private final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void firstSignInMakesALinkedAccountAndTheGroupMakesAnAdmin() throws Exception {
        signIn(UUID.randomUUID().toString(), "someone.else", List.of("confab-admins")); // an admin besides the one under test
        String subject = UUID.randomUUID().toString();
        String name = "alice.sso" + subject.substring(0, 4);
        JsonNode first = signIn(subject, name, List.of("confab-admins", "staff"));
        JsonNode me = api.get("/api/users/me", first.path("accessToken").asString()).body().path("user");
        assertThat(me.path("username").asString()).isEqualTo(name.replace('.', '_'));
        assertThat(me.path("displayName").asString()).isEqualTo("Alice SSO");
        assertThat(me.path("role").asString()).isEqualTo("admin");

        JsonNode again = signIn(subject, "renamed", List.of("staff"));
        JsonNode meAgain = api.get("/api/users/me", again.path("accessToken").asString()).body().path("user");
        assertThat(meAgain.path("id").asString()).as("linked by subject, not username").isEqualTo(me.path("id").asString());
        assertThat(meAgain.path("role").asString()).as("left the admin group").isEqualTo("member");

        JsonNode refreshed = api.post("/api/auth/refresh", null, Map.of("refreshToken", again.path("refreshToken").asString())).body();
        assertThat(refreshed.path("accessToken").asString()).isNotBlank();
    }

    @Test
    void codesWorkOnceAndStateIsChecked() throws Exception {
        String subject = UUID.randomUUID().toString();
        String code = handoffCode(subject, "bob_sso" + subject.substring(0, 4), List.of());
        assertThat(api.post("/api/auth/oidc/exchange", null, Map.of("code", code)).status()).isEqualTo(200);
        assertThat(api.post("/api/auth/oidc/exchange", null, Map.of("code", code)).status()).isEqualTo(401);
        assertThat(api.post("/api/auth/oidc/exchange", null, Map.of()).status()).isEqualTo(400);

        HttpResponse<String> forged = get(api.baseUrl() + "/api/auth/oidc/callback?code=abc&state=forged");
        assertThat(forged.statusCode()).isEqualTo(302);
        assertThat(forged.headers().firstValue("Location").orElseThrow()).startsWith("/login?sso_error=");
    }

    @Test
    void deactivatedAccountsCannotSignInThroughTheProvider() throws Exception {
        String subject = UUID.randomUUID().toString();
        JsonNode tokens = signIn(subject, "carol_sso" + subject.substring(0, 4), List.of());
        UUID id = UUID.fromString(tokens.path("user").path("id").asString());
        jdbc.sql("UPDATE users SET deactivated_at = now() WHERE id = :id").param("id", id).update();
        String code = handoffCode(subject, "carol", List.of());
        assertThat(api.post("/api/auth/oidc/exchange", null, Map.of("code", code)).status()).isEqualTo(401);
    }

    @Test
    void passwordsAreOffAndTheSignInPageOffersTheProvider() {
        assertThat(api.post("/api/auth/login", null, Map.of("username", "x_user", "password", "Secret123!")).status()).isEqualTo(403);
        assertThat(api.post("/api/auth/register", null,
                Map.of("username", "x_user", "password", "Secret123!", "passwordConfirm", "Secret123!")).status()).isEqualTo(403);
        JsonNode config = api.get("/api/auth/config", null).body();
        assertThat(config.path("passwordLogin").asBoolean()).isFalse();
        assertThat(config.path("identityProviders").get(0).path("name").asString()).isEqualTo("Corp ID");
        assertThat(config.path("identityProviders").get(0).path("loginUrl").asString()).isEqualTo("/api/auth/oidc/login");
    }

    /** The whole redirect dance, as a browser would follow it; answers the exchange's tokens. */
    private JsonNode signIn(String subject, String username, List<String> groups) throws Exception {
        Api.Response exchanged = api.post("/api/auth/oidc/exchange", null, Map.of("code", handoffCode(subject, username, groups)));
        assertThat(exchanged.status()).as(exchanged.text()).isEqualTo(200);
        return exchanged.body();
    }

    private String handoffCode(String subject, String username, List<String> groups) throws Exception {
        Map<String, Object> claims = new HashMap<>();
        claims.put("preferred_username", username);
        claims.put("name", "Alice SSO");
        claims.put("groups", groups);
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("corp", subject, "JWT", List.of("confab"), claims));

        HttpResponse<String> start = get(api.baseUrl() + "/api/auth/oidc/login?next=/chats");
        assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
        String authorize = start.headers().firstValue("Location").orElseThrow();
        assertThat(authorize).contains("code_challenge=").contains("code_challenge_method=S256").contains("state=").contains("nonce=");

        HttpResponse<String> fromProvider = get(authorize);
        assertThat(fromProvider.statusCode()).as(fromProvider.body()).isEqualTo(302);
        String callback = fromProvider.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(api.baseUrl() + "/api/auth/oidc/callback");

        HttpResponse<String> landed = get(callback);
        assertThat(landed.statusCode()).isEqualTo(302);
        String location = landed.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/oidc/complete#code=");
        String fragment = location.substring(location.indexOf('#') + 1);
        Map<String, String> parts = new HashMap<>();
        for (String part : fragment.split("&")) {
            String[] kv = part.split("=", 2);
            parts.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertThat(parts.get("next")).isEqualTo("/chats");
        return parts.get("code");
    }

    private HttpResponse<String> get(String url) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
