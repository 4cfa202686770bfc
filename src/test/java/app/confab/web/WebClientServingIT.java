package app.confab.web;

import java.util.Map;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server serves the built web client at {@code /} with history-API fallback, and keeps its
 * own answers for its own routes. Runs after the client is built (integration-test phase).
 */
class WebClientServingIT extends IntegrationTest {

    @Test
    void rootServesTheClientWithSecurityHeaders() {
        Api.Response response = api.get("/", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.text()).contains("<div id=\"root\"").contains("/assets/");
        assertThat(response.header("Content-Security-Policy")).contains("default-src 'self'").contains("script-src 'self'");
        assertThat(response.header("Cache-Control")).contains("no-cache");
    }

    @Test
    void clientRoutesFallBackToIndexHtml() {
        for (String path : new String[] {"/chats", "/chats/team-rocket", "/chats/3f9a0c1e-8d4b-4c52-9a55-0f6e2b7d1c11/messages/5b1e7a2c-0d3f-4e8a-b6c9-2a4d8f0e1b37", "/search?q=hello", "/login"}) {
            Api.Response response = api.get(path, null);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.text()).as(path).contains("<div id=\"root\"");
        }
    }

    @Test
    void hashedAssetsAreCachedForGoodAndSentCompressed() {
        String index = api.get("/", null).text();
        String script = index.replaceAll("(?s).*src=\"(/assets/[^\"]+\\.js)\".*", "$1");
        Api.Response gz = api.send("GET", script, null, null, Map.of("Accept-Encoding", "gzip"));
        assertThat(gz.status()).isEqualTo(200);
        assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gz.header("Cache-Control")).contains("immutable").contains("max-age=31536000");
        assertThat(gz.header("Content-Type")).contains("javascript");
    }

    @Test
    void aMissingFileIsA404NotTheAppShell() {
        for (String path : new String[] {"/assets/does-not-exist-1234.js", "/definitely-not-a-page.json", "/chats/robots.txt"}) {
            Api.Response response = api.get(path, null);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.errorCode()).as(path).isEqualTo("NOT_FOUND");
        }
    }

    @Test
    void unknownApiRoutesKeepTheirJsonErrors() {
        Api.Response anonymous = api.get("/api/no-such-route", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.errorCode()).isEqualTo("UNAUTHORIZED");

        Users.TestUser user = users.register("webserve");
        Api.Response signedIn = api.get("/api/no-such-route", user.token());
        assertThat(signedIn.status()).isEqualTo(404);
        assertThat(signedIn.errorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void serverPathsAreNeverTheAppShell() {
        for (String path : new String[] {"/health", "/health/nope", "/metrics", "/ws", "/api"}) {
            Api.Response response = api.get(path, null);
            assertThat(response.text()).as(path).doesNotContain("<div id=\"root\"");
        }
    }
}
