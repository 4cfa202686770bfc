package app.confab.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import app.confab.support.Api;
import app.confab.support.Prerequisites;
import app.confab.support.PrometheusText;
import app.confab.support.TestDatabase;
import app.confab.support.Users;
import app.confab.support.WsClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Confab nodes ({@code java -jar target/confab.jar}, as in production) sharing one PostgreSQL
 * and one Redis, behind the real nginx running deploy/nginx.conf with TLS. Checks what a scaled-out
 * deployment must do: sign-in through the proxy, sticky sessions, real-time chat between users on
 * different nodes, a node stopping without its users losing anything, JSON logs without secrets,
 * and per-node metrics. Skipped, with the reason, only where nginx is not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static Path dir;
    private static EmbeddedPostgres embeddedPostgres;
    private static RedisServer redis;
    private static ConfabNode node1;
    private static ConfabNode node2;
    private static Nginx nginx;
    private static Api viaNginx;
    private static final List<String> secrets = new ArrayList<>();
    private static Users.TestUser alice;
    private static Users.TestUser bob;
    private static String aliceCookie;
    private static String bobCookie;
    private static String chatId;
    private static WsClient aliceSocket;
    private static WsClient bobSocket;
    private static String aliceCursor;


    @BeforeAll
    static void startCluster() throws Exception {
        Prerequisites.require(Nginx.binary() != null, "nginx is not installed (Debian: apt-get install nginx)");
        dir = Files.createDirectories(Path.of("target", "cluster-it", Long.toString(System.currentTimeMillis())))
                .toAbsolutePath();
        TestCertificate certificate = TestCertificate.create(dir);
        // Every HTTP and WebSocket client of this JVM trusts the test certificate nginx presents.
        SSLContext.setDefault(certificate.trustingContext());

        String databaseUrl;
        if (TestDatabase.externalUrl() != null) {
            databaseUrl = TestDatabase.createExternalDatabase();
        } else {
            embeddedPostgres = EmbeddedPostgres.builder()
                    .setDataDirectory(Files.createDirectories(dir.resolve("postgres")))
                    .setServerConfig("max_connections", "200")
                    .start();
            databaseUrl = embeddedPostgres.getJdbcUrl("postgres", "postgres");
        }
        int redisPort = freePort();
        redis = new RedisServer(redisPort);
        redis.start();

        Map<String, String> environment = new HashMap<>();
        environment.put("DATABASE_URL", databaseUrl);
        environment.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
        environment.put("LOG_FORMAT", "json");
        environment.put("TRUST_FORWARDED_FOR", "true");
        environment.put("RATE_LIMIT_API_PER_MINUTE", "100000");
        environment.put("RATE_LIMIT_MESSAGES_PER_SECOND", "100000");
        // Both nodes start at once, as compose and Kubernetes start them: migrations and the
        // generated JWT keys must cope.
        node1 = ConfabNode.start("node1", freePort(), environment, dir);
        node2 = ConfabNode.start("node2", freePort(), environment, dir);
        node1.awaitReady(Duration.ofMinutes(3));
        node2.awaitReady(Duration.ofMinutes(3));

        nginx = Nginx.start(Path.of("deploy", "nginx.conf"), List.of(node1.port(), node2.port()), freePort(), freePort(),
                certificate, Files.createDirectories(dir.resolve("nginx")));
        viaNginx = new Api(nginx.baseUrl());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable resource : new AutoCloseable[] {nginx, node1, node2}) {
            if (resource != null) {
                resource.close();
            }
        }
        if (redis != null) {
            redis.stop();
        }
        if (embeddedPostgres != null) {
            embeddedPostgres.close();
            // The logs stay in target/cluster-it for a look after a failure; the database goes.
            deleteRecursively(dir.resolve("postgres"));
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void signsUpAndInThroughNginxOverTls() {
        Users.TestUser user = new Users(viaNginx).register("cluster_login");
        secrets.add(user.token());
        secrets.add(user.refreshToken());

        Api.Response login = viaNginx.post("/api/auth/login", null,
                Map.of("username", user.username(), "password", Users.PASSWORD));
        assertThat(login.status()).isEqualTo(200);
        secrets.add(login.body().path("accessToken").asString());
        secrets.add(login.body().path("refreshToken").asString());
        assertThat(login.body().path("user").path("id").asString()).isEqualTo(user.id().toString());

        String wrongPassword = "Wrong-" + UUID.randomUUID();
        secrets.add(wrongPassword);
        Api.Response failed = viaNginx.post("/api/auth/login", null,
                Map.of("username", user.username(), "password", wrongPassword));
        assertThat(failed.status()).isEqualTo(401);
        assertThat(failed.errorCode()).isEqualTo("UNAUTHORIZED");
        // nginx's request id reaches Confab and comes back in the error body.
        assertThat(failed.body().path("error").path("requestId").asString()).matches("[0-9a-f]{32}");

        Api.Response me = viaNginx.get("/api/users/me", login.body().path("accessToken").asString());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().toString()).contains(user.username());

        assertThat(viaNginx.get("/metrics", null).status()).as("metrics are not public").isEqualTo(404);
    }

    @Test
    @Order(2)
    void plainHttpRedirectsToHttps() throws Exception {
        int httpPort = plainHttpPort();
        HttpResponse<Void> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/api/chats")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).startsWith("https://localhost"));
    }

    @Test
    @Order(3)
    void aBrowserSticksToOneNodeAndBrowsersSpreadOverNodes() throws Exception {
        Api.Response first = viaNginx.get("/health", null);
        assertThat(first.status()).isEqualTo(200);
        String setCookie = first.header("Set-Cookie");
        assertThat(setCookie).startsWith("confab_node=").contains("HttpOnly", "Secure");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        String pinned = null;
        for (int i = 0; i < 6; i++) {
            Api.Response again = viaNginx.send("GET", "/health", null, null, Map.of("Cookie", cookie));
            assertThat(again.header("Set-Cookie")).as("the cookie is set once").isNull();
            String upstream = nginx.upstreamOf(again.header("X-Request-Id"));
            assertThat(upstream).isNotNull();
            if (pinned == null) {
                pinned = upstream;
            }
            assertThat(upstream).as("same browser, same node").isEqualTo(pinned);
        }
        assertThat(List.of(affinityFor(node1), affinityFor(node2))).doesNotHaveDuplicates();
    }

    @Test
    @Order(10)
    void usersOnDifferentNodesChatInRealTime() throws Exception {
        Users people = new Users(viaNginx);
        alice = people.register("cluster_alice");
        bob = people.register("cluster_bob");
        secrets.addAll(List.of(alice.token(), alice.refreshToken(), bob.token(), bob.refreshToken()));
        aliceCookie = affinityFor(node1);
        bobCookie = affinityFor(node2);

        Api.Response chat = viaNginx.send("POST", "/api/chats/direct", alice.token(), Map.of("userId", bob.id()),
                Map.of("Cookie", aliceCookie));
        assertThat(chat.status()).as(chat.text()).isIn(200, 201);
        chatId = chat.body().path("chat").path("id").asString();

        aliceSocket = connectThroughNginx(alice, aliceCookie, null);
        bobSocket = connectThroughNginx(bob, bobCookie, null);
        assertThat(scrape(node1).sum("websocket_connections_active", Map.of())).as("alice on node1").isEqualTo(1);
        assertThat(scrape(node2).sum("websocket_connections_active", Map.of())).as("bob on node2").isEqualTo(1);

        JsonNode ack = aliceSocket.request("message:send", Map.of("chatId", chatId, "content", "hello from node1",
                "clientMessageId", UUID.randomUUID().toString()));
        assertThat(ack.path("type").asString()).as(ack.toString()).isEqualTo("ack");
        String first = ack.path("data").path("message").path("id").asString();
        JsonNode delivered = bobSocket.await(frame -> isMessage(frame, first), WsClient.WAIT);
        assertThat(delivered.path("data").path("content").asString()).isEqualTo("hello from node1");

        Api.Response reply = viaNginx.send("POST", "/api/chats/" + chatId + "/messages", bob.token(),
                Map.of("content", "hello from node2"), Map.of("Cookie", bobCookie));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        String second = reply.body().path("message").path("id").asString();
        JsonNode received = aliceSocket.await(frame -> isMessage(frame, second), WsClient.WAIT);
        aliceCursor = received.path("cursor").asString();
        assertThat(aliceCursor).isNotBlank();
    }

    @Test
    @Order(20)
    void aStoppingNodeHandsItsUsersToTheOtherWithoutLosingAMessage() throws Exception {
        // A long-poll in flight on node1 when it stops is answered, not cut off.
        Users.TestUser carol = new Users(viaNginx).register("cluster_carol");
        secrets.add(carol.token());
        double inFlightBefore = inFlightRequests(node1);
        CompletableFuture<Api.Response> longPoll = CompletableFuture.supplyAsync(() ->
                new Api(node1.baseUrl()).get("/api/events?cursor=" + aliceCursor + "&timeout=25", carol.token()));
        awaitTrue("long-poll in flight on node1", () -> inFlightRequests(node1) > inFlightBefore);

        List<String> sent = new ArrayList<>();
        sent.add(bobSends("before the stop"));
        node1.signalStop();
        sent.add(bobSends("while node1 drains"));
        assertThat(aliceSocket.awaitClose()).as("service restart: reconnect elsewhere").isEqualTo(1012);
        sent.add(bobSends("while alice is away"));
        assertThat(longPoll.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(node1.awaitExit()).isIn(0, 143);
        sent.add(bobSends("after node1 stopped"));

        // Same browser, same cookie: nginx finds node1 gone and picks node2; alice resumes from her cursor.
        WsClient resumed = connectThroughNginx(alice, aliceCookie, aliceCursor);
        sent.add(bobSends("after alice is back"));
        List<String> received = new ArrayList<>();
        while (received.stream().distinct().count() < sent.size()) {
            JsonNode frame = resumed.await(f -> "message:new".equals(f.path("type").asString()), WsClient.WAIT);
            received.add(frame.path("data").path("id").asString());
        }
        assertThat(received.stream().distinct().toList()).as("every message, once, in order").isEqualTo(sent);
        assertThat(scrape(node2).sum("websocket_connections_active", Map.of())).as("both users on node2").isEqualTo(2);

        JsonNode ack = resumed.request("message:send", Map.of("chatId", chatId, "content", "alice on node2",
                "clientMessageId", UUID.randomUUID().toString()));
        String fromAlice = ack.path("data").path("message").path("id").asString();
        bobSocket.await(frame -> isMessage(frame, fromAlice), WsClient.WAIT);
        assertThat(node1.logLines()).anyMatch(line -> line.contains("Graceful shutdown complete"));
        resumed.close();
    }

    private static String bobSends(String text) {
        JsonNode ack = bobSocket.request("message:send", Map.of("chatId", chatId, "content", text,
                "clientMessageId", UUID.randomUUID().toString()));
        assertThat(ack.path("type").asString()).as(ack.toString()).isEqualTo("ack");
        return ack.path("data").path("message").path("id").asString();
    }

    private static boolean isMessage(JsonNode frame, String messageId) {
        return "message:new".equals(frame.path("type").asString())
                && messageId.equals(frame.path("data").path("id").asString());
    }

    private static WsClient connectThroughNginx(Users.TestUser user, String cookie, String cursor) {
        WsClient client = WsClient.open(URI.create(nginx.baseUrl().replace("https:", "wss:") + "/ws"),
                Map.of("Cookie", cookie));
        client.auth(user.token(), cursor);
        client.awaitType("ready");
        return client;
    }

    @Test
    @Order(30)
    void eachNodeExposesItsOwnMetrics() {
        PrometheusText metrics = scrape(node2);
        for (String dependency : List.of("database", "redis", "storage")) {
            assertThat(metrics.sum("dependency_up", Map.of("dependency", dependency))).as(dependency).isEqualTo(1);
        }
        assertThat(metrics.sum("http_request_duration_seconds_count",
                Map.of("method", "POST", "route", "/api/chats/{chatId}/messages", "status_code", "201"))).isGreaterThanOrEqualTo(1);
        assertThat(metrics.sum("delivery_lag_seconds_count", Map.of())).as("events handed to clients").isGreaterThan(0);
        assertThat(metrics.sum("database_query_duration_seconds_count", Map.of("query_type", "insert"))).isGreaterThan(0);
        assertThat(metrics.sum("redis_bus_errors_total", Map.of())).isZero();
        assertThat(metrics.samples("websocket_connections_active")).hasSize(1);
    }

    @Test
    @Order(90)
    void logsAreJsonLinesWithRequestAndUserIdsAndNeverSecrets() throws IOException {
        for (ConfabNode node : List.of(node1, node2)) {
            List<JsonNode> events = new ArrayList<>();
            for (String line : node.logLines()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = Api.json().readTree(line);
                assertThat(event.isObject()).as(line).isTrue();
                for (String field : List.of("timestamp", "level", "logger", "message")) {
                    assertThat(event.path(field).isMissingNode()).as(field + " in " + line).isFalse();
                }
                events.add(event);
            }
            assertThat(events).as(node.name() + " logged").isNotEmpty();
            List<JsonNode> access = events.stream().filter(e -> e.path("logger").asString().equals("confab.access")).toList();
            assertThat(access).allSatisfy(e -> assertThat(e.path("requestId").asString()).isNotBlank());
            String log = node.everythingWritten();
            for (String secret : secrets) {
                assertThat(log).as(node.name() + " never logs passwords or tokens").doesNotContain(secret);
            }
            assertThat(log).doesNotContain(Users.PASSWORD);
        }
        List<JsonNode> all = new ArrayList<>();
        for (ConfabNode node : List.of(node1, node2)) {
            for (String line : node.logLines()) {
                if (!line.isBlank()) {
                    all.add(Api.json().readTree(line));
                }
            }
        }
        assertThat(all).as("signed-in requests carry the user id")
                .anyMatch(e -> e.path("logger").asString().equals("confab.access") && !e.path("userId").asString().isBlank());
    }

    /** A cookie value that nginx maps to {@code node}: tries random keys until one lands there. */
    private static String affinityFor(ConfabNode node) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            String cookie = "confab_node=" + UUID.randomUUID().toString().replace("-", "");
            Api.Response response = viaNginx.send("GET", "/health", null, null, Map.of("Cookie", cookie));
            if (("127.0.0.1:" + node.port()).equals(nginx.upstreamOf(response.header("X-Request-Id")))) {
                return cookie;
            }
        }
        throw new AssertionError("no affinity key maps to " + node.name());
    }

    /** Requests being served by {@code node} right now (the scrape itself included). */
    private static double inFlightRequests(ConfabNode node) {
        return scrape(node).samples("http_request_duration_active_seconds_count").stream()
                .mapToDouble(PrometheusText.Sample::value).sum();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
    }

    private static PrometheusText scrape(ConfabNode node) {
        return PrometheusText.parse(new Api(node.baseUrl()).get("/metrics", null).text());
    }

    private static int plainHttpPort() throws IOException {
        String config = Files.readString(dir.resolve("nginx").resolve("nginx.conf"));
        var matcher = java.util.regex.Pattern.compile("listen 127\\.0\\.0\\.1:(\\d+);").matcher(config);
        assertThat(matcher.find()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
