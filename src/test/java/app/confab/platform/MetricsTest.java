package app.confab.platform;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.PrometheusText;
import app.confab.support.PrometheusText.Sample;
import app.confab.support.Users;

import static org.assertj.core.api.Assertions.assertThat;

/** Scrapes the real /metrics endpoint and checks every metric docs/OPERATIONS.md ("Metrics") lists. */
class MetricsTest extends IntegrationTest {

    @Autowired
    Metrics metrics;

    private PrometheusText scrape() {
        Api.Response response = api.get("/metrics", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/plain");
        return PrometheusText.parse(response.text());
    }

    @Test
    void httpRequestsAreTimedByMethodRouteTemplateAndStatusInTheSeedsBuckets() {
        Users.TestUser user = users.register("metrics_http");
        assertThat(api.post("/api/auth/login", null, Map.of("username", user.username(), "password", "wrong-Pass1!"))
                .status()).isEqualTo(401);
        assertThat(api.post("/api/auth/login", null, Map.of("username", user.username(), "password", Users.PASSWORD))
                .status()).isEqualTo(200);
        String someId = UUID.randomUUID().toString();
        api.get("/api/users/" + someId, null);

        PrometheusText metrics = scrape();

        assertThat(metrics.type("http_request_duration_seconds")).isEqualTo("histogram");
        Map<String, String> okLogin = Map.of("method", "POST", "route", "/api/auth/login", "status_code", "200");
        assertThat(metrics.sum("http_request_duration_seconds_count", okLogin)).isGreaterThanOrEqualTo(1);
        assertThat(metrics.sum("http_request_duration_seconds_count",
                Map.of("method", "POST", "route", "/api/auth/login", "status_code", "401"))).isGreaterThanOrEqualTo(1);
        assertThat(bucketBounds(metrics.samples("http_request_duration_seconds_bucket", okLogin)))
                .containsExactly(0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0,
                        Double.POSITIVE_INFINITY);
        // Routes are templates, never raw paths with ids in them.
        assertThat(metrics.samples("http_request_duration_seconds_count"))
                .extracting(sample -> sample.label("route"))
                .noneMatch(route -> route.contains(someId));
    }

    @Test
    void databaseStatementsAreTimedByQueryType() {
        users.register("metrics_db");

        PrometheusText metrics = scrape();

        assertThat(metrics.type("database_query_duration_seconds")).isEqualTo("histogram");
        Map<String, String> selects = Map.of("query_type", "select", "database", "primary");
        assertThat(metrics.sum("database_query_duration_seconds_count", selects)).isGreaterThanOrEqualTo(1);
        assertThat(metrics.sum("database_query_duration_seconds_count",
                Map.of("query_type", "insert", "database", "primary"))).isGreaterThanOrEqualTo(1);
        assertThat(bucketBounds(metrics.samples("database_query_duration_seconds_bucket", selects)))
                .containsExactly(0.001, 0.01, 0.05, 0.1, 0.5, 1.0, Double.POSITIVE_INFINITY);
    }

    @Test
    void featureMetricsCountWhatFeaturesReport() {
        PrometheusText before = scrape();
        Map<String, String> sent = Map.of("type", "send", "status", "success");
        assertThat(before.samples("messages_processed_total", sent)).hasSize(1);
        assertThat(before.samples("redis_bus_errors_total", Map.of("operation", "publish"))).hasSize(1);
        assertThat(before.samples("storage_errors_total", Map.of("operation", "put"))).hasSize(1);

        metrics.messageProcessed("send", "success");
        metrics.messageProcessed("send", "success");
        metrics.deliveryLag(Duration.ofMillis(20));
        metrics.redisBusError("publish");
        metrics.storageError("put");

        PrometheusText after = scrape();
        assertThat(after.sum("messages_processed_total", sent) - before.sum("messages_processed_total", sent))
                .isEqualTo(2);
        assertThat(after.type("delivery_lag_seconds")).isEqualTo("histogram");
        assertThat(after.sum("delivery_lag_seconds_count", Map.of()) - before.sum("delivery_lag_seconds_count", Map.of()))
                .isEqualTo(1);
        assertThat(after.sum("delivery_lag_seconds_bucket", Map.of("le", "0.025"))
                - before.sum("delivery_lag_seconds_bucket", Map.of("le", "0.025"))).isEqualTo(1);
        assertThat(after.sum("redis_bus_errors_total", Map.of("operation", "publish"))
                - before.sum("redis_bus_errors_total", Map.of("operation", "publish"))).isEqualTo(1);
        assertThat(after.sum("storage_errors_total", Map.of("operation", "put"))
                - before.sum("storage_errors_total", Map.of("operation", "put"))).isEqualTo(1);
    }

    @Test
    void sendingMessagesCountsEachOutcome() {
        Users.TestUser alice = users.register("metrics_send");
        String chatId = api.post("/api/chats/group", alice.token(), Map.of("name", "Metrics", "participantIds", List.of()))
                .body().path("chat").path("id").asString();
        Map<String, String> success = Map.of("type", "send", "status", "success");
        Map<String, String> duplicate = Map.of("type", "send", "status", "duplicate");
        Map<String, String> failed = Map.of("type", "send", "status", "failed");
        PrometheusText before = scrape();

        Map<String, Object> message = Map.of("content", "counted", "clientMessageId", "metrics-" + UUID.randomUUID());
        assertThat(api.post("/api/chats/" + chatId + "/messages", alice.token(), message).status()).isEqualTo(201);
        assertThat(api.post("/api/chats/" + chatId + "/messages", alice.token(), message).status()).isEqualTo(200);
        assertThat(api.post("/api/chats/" + chatId + "/messages", alice.token(), Map.of("content", "")).status()).isEqualTo(400);

        PrometheusText after = scrape();
        assertThat(after.sum("messages_processed_total", success) - before.sum("messages_processed_total", success)).isEqualTo(1);
        assertThat(after.sum("messages_processed_total", duplicate) - before.sum("messages_processed_total", duplicate)).isEqualTo(1);
        assertThat(after.sum("messages_processed_total", failed) - before.sum("messages_processed_total", failed)).isEqualTo(1);
    }

    @Test
    void processJvmPoolAndDependencyMetricsAreExposed() {
        PrometheusText metrics = scrape();

        assertThat(metrics.samples("jvm_memory_used_bytes")).isNotEmpty();
        assertThat(metrics.samples("jvm_threads_live_threads")).isNotEmpty();
        assertThat(metrics.samples("process_cpu_usage")).isNotEmpty();
        assertThat(metrics.samples("process_uptime_seconds")).isNotEmpty();
        assertThat(metrics.samples("hikaricp_connections_max", Map.of("pool", "confab-primary"))).isNotEmpty();
        assertThat(metrics.sum("dependency_up", Map.of("dependency", "database"))).isEqualTo(1);
        assertThat(metrics.type("websocket_connections_active")).isEqualTo("gauge");
        assertThat(metrics.samples("websocket_connections_active")).hasSize(1);
    }

    @Test
    void buildDiskStorageAndWebSocketCloseMetricsAreExposed(@Autowired ConfabProperties properties) throws Exception {
        Users.TestUser user = users.register("metrics_ops");
        app.confab.support.WsClient ws = app.confab.support.WsClient.connectReady(api.baseUrl(), user.token(), null);
        ws.close();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(scrape().sum("websocket_closes_total", Map.of("code", "1000"))).isGreaterThanOrEqualTo(1));

        PrometheusText metrics = scrape();
        assertThat(metrics.samples("build_info")).singleElement()
                .satisfies(sample -> assertThat(sample.label("version")).isNotBlank());
        // The data directory's disk, not the working directory's.
        assertThat(metrics.samples("disk_free_bytes")).singleElement().satisfies(sample ->
                assertThat(java.nio.file.Path.of(sample.label("path")).toAbsolutePath().normalize())
                        .isEqualTo(properties.dataDir().toAbsolutePath().normalize()));
    }

    @Test
    void queryTypeIsTheStatementsFirstKeyword() {
        assertThat(QueryTimer.queryType("  SELECT 1")).isEqualTo("select");
        assertThat(QueryTimer.queryType("-- why\n/* note */ insert into t values (1)")).isEqualTo("insert");
        assertThat(QueryTimer.queryType("(select 1) union (select 2)")).isEqualTo("select");
        assertThat(QueryTimer.queryType("WITH moved AS (SELECT 1) UPDATE t SET a = 1")).isEqualTo("update");
        assertThat(QueryTimer.queryType("with x as (select 1) select * from x")).isEqualTo("select");
        assertThat(QueryTimer.queryType("SELECT pg_advisory_xact_lock(1)")).isEqualTo("select");
        assertThat(QueryTimer.queryType("SET statement_timeout = 0")).isEqualTo("other");
    }

    private static List<Double> bucketBounds(List<Sample> buckets) {
        return buckets.stream().map(sample -> Double.parseDouble(sample.label("le").replace("+Inf", "Infinity"))).toList();
    }
}
