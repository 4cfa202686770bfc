package app.confab.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import app.confab.ConfabApplication;
import app.confab.support.Api;
import app.confab.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stopping node first drains: readiness turns 503 and new WebSockets and long-polls are refused
 * with 503 (a proxy retries them on another node), while ordinary requests are still served, and
 * only then does the web server stop. SHUTDOWN_DRAIN_DELAY holds the node in that state long
 * enough to look at it.
 */
class DrainTest {

    private ConfigurableApplicationContext confab;

    @AfterEach
    void closeContext() {
        if (confab != null && confab.isActive()) {
            confab.close();
        }
    }

    @Test
    void aStoppingNodeTurnsUnreadyAndRefusesLongLivedConnectionsBeforeItStops() throws Exception {
        confab = new SpringApplicationBuilder(ConfabApplication.class).run(
                "--server.port=0",
                "--confab.database-url=" + (TestDatabase.externalUrl() != null ? TestDatabase.createExternalDatabase() : ""),
                "--confab.data-dir=" + TestDatabase.newDataDir(),
                "--confab.redis-url=",
                "--confab.drain-delay=10s");
        Api api = new Api("http://localhost:" + confab.getEnvironment().getProperty("local.server.port"));
        assertThat(api.get("/health/ready", null).status()).isEqualTo(200);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(confab::close);
        Api.Response ready = awaitStatus(api, "/health/ready", 503);
        assertThat(ready.body().path("status").asString()).isEqualTo("draining");

        Api.Response longPoll = api.get("/api/events?timeout=10", null);
        assertThat(longPoll.status()).isEqualTo(503);
        assertThat(longPoll.errorCode()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(longPoll.header("Retry-After")).isNotNull();
        assertThat(api.get("/health", null).status()).as("ordinary requests are still served").isEqualTo(200);
        assertThat(webSocketUpgradeStatus(api.baseUrl())).isEqualTo(503);

        stopping.get(60, TimeUnit.SECONDS);
        assertThat(confab.isActive()).isFalse();
    }

    /** Tries a real WebSocket upgrade of /ws; returns the HTTP status of the refusal (101 when accepted). */
    private static int webSocketUpgradeStatus(String baseUrl) throws InterruptedException {
        try {
            HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(baseUrl.replace("http:", "ws:") + "/ws"), new WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS)
                    .abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw new AssertionError(e);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static Api.Response awaitStatus(Api api, String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Api.Response last = null;
        while (System.nanoTime() < deadline) {
            last = api.get(path, null);
            if (last.status() == status) {
                return last;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("Never answered " + status + " on " + path + "; last: " + (last == null ? null : last.text()));
    }
}
