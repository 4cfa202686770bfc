package app.confab.platform;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import app.confab.ConfabApplication;
import app.confab.support.Api;
import app.confab.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
                "--confab.drain-delay=15s");
        Api api = new Api("http://localhost:" + confab.getEnvironment().getProperty("local.server.port"));
        assertThat(api.get("/health/ready", null).status()).isEqualTo(200);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(confab::close);
        Api.Response ready = awaitStatus(api, "/health/ready", 503);
        assertThat(ready.body().path("status").asString()).isEqualTo("draining");

        // The drain window lasts 15 s; the checks below need only a moment of it, even on a busy machine.
        assertThat(webSocketUpgradeStatus(api.baseUrl())).isEqualTo(503);
        Api.Response longPoll = api.get("/api/events?timeout=10", null);
        assertThat(longPoll.status()).isEqualTo(503);
        assertThat(longPoll.errorCode()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(longPoll.header("Retry-After")).isNotNull();
        assertThat(api.get("/health", null).status()).as("ordinary requests are still served").isEqualTo(200);

        stopping.get(60, TimeUnit.SECONDS);
        assertThat(confab.isActive()).isFalse();
    }

    /**
     * Sends a real WebSocket upgrade request for /ws over a plain socket and returns the status of
     * the answer (101 when accepted). A socket shows exactly what the server said, without a client
     * library's handling of a refused handshake in between.
     */
    private static int webSocketUpgradeStatus(String baseUrl) throws Exception {
        URI uri = URI.create(baseUrl);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "GET /ws HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    private static Api.Response awaitStatus(Api api, String path, int status) {
        return await("status " + status + " on " + path).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> api.get(path, null), response -> response.status() == status);
    }
}
