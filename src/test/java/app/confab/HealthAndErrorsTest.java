package app.confab;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class HealthAndErrorsTest extends IntegrationTest {

    @Test
    void livenessAndReadinessAnswerTheSeedHealthBody() {
        for (String path : new String[]{"/health", "/health/ready"}) {
            Api.Response response = api.get(path, null);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.header("Content-Type")).startsWith("application/json");
            assertThat(response.body().path("status").asString()).as(path).isEqualTo("ok");
            assertThat(java.time.Instant.parse(response.body().path("timestamp").asString())).isNotNull();
            assertThat(response.body().path("uptime").isNumber()).as(path).isTrue();
            assertThat(response.body().path("uptime").asDouble()).isPositive();
            assertThat(response.body().path("environment").asString()).isNotBlank();
            assertThat(response.body().path("version").asString()).isNotBlank();
        }
        // Liveness runs no dependency check (LivenessTest); readiness reports each.
        assertThat(api.get("/health/ready", null).body().path("services").path("database").asString()).isEqualTo("ok");
        // Health needs no token and is not rate limited as API traffic.
        assertThat(api.get("/health", "garbage-token").status()).isEqualTo(200);
    }

    @Test
    void unknownApiRouteWithoutTokenIsUnauthorizedInErrorFormat() {
        Api.Response response = api.get("/api/no-such-thing", null);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(response.body().path("error").path("requestId").asString()).startsWith("req-");
        assertThat(response.header("X-Request-Id")).isEqualTo(response.body().path("error").path("requestId").asString());
    }

    @Test
    void metricsAreExposedForPrometheus() {
        Api.Response response = api.get("/metrics", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).contains("jvm_memory_used_bytes");
    }
}
