package app.confab.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import app.confab.support.IntegrationTest;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

import static org.assertj.core.api.Assertions.assertThat;

/** Single sign-on in real Chromium against a real OpenID Connect provider (mock-oauth2-server). */
@org.springframework.boot.test.context.SpringBootTest(
        webEnvironment = org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"confab.rate-limit.api-per-minute=1000000", "confab.rate-limit.messages-per-second=100000"})
@org.springframework.context.annotation.Import(IntegrationTest.TestClockConfig.class)
@org.springframework.test.annotation.DirtiesContext
class SsoBrowserIT {

    // Not an IntegrationTest: its OIDC settings make a context of its own, which needs a database
    // (or embedded data directory) of its own; the shared one is locked by the shared context.

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

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
        registry.add("confab.oidc.provider-name", () -> "Corp ID");
    }

    @AfterAll
    static void stopProvider() {
        provider.shutdown();
    }

    @Test
    void signInWithTheProvider() throws IOException, InterruptedException {
        Path web = Path.of("web").toAbsolutePath();
        Path chromium = Path.of(System.getenv().getOrDefault("CONFAB_CHROMIUM", "/usr/bin/chromium"));
        assertThat(Files.isExecutable(chromium)).as("Chromium is needed: apt-get install -y chromium").isTrue();
        String username = "sso_" + UUID.randomUUID().toString().substring(0, 8);
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("corp", UUID.randomUUID().toString(), "JWT", List.of("confab"),
                Map.of("preferred_username", username, "name", "Browser Person")));

        ProcessBuilder builder = new ProcessBuilder(System.getProperty("confab.node", "node"), "e2e/run.mjs",
                "http://localhost:" + port)
                .directory(web.toFile())
                .redirectErrorStream(true);
        builder.environment().put("CONFAB_E2E_MODULE", "./sso-flows.mjs");
        builder.environment().put("CONFAB_SSO_USERNAME", username);
        builder.environment().put("CONFAB_SCREENSHOTS", web.resolveSibling("target/screenshots").toAbsolutePath().toString());
        builder.environment().put("CONFAB_CHROMIUM", chromium.toString());
        Process process = builder.start();
        String log = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        System.out.println(log);
        assertThat(finished).as(log).isTrue();
        assertThat(process.exitValue()).as("sso browser flow:%n%s", log).isZero();
        assertThat(log).contains("1 passed, 0 failed");
    }
}
