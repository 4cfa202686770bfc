package app.confab;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class HealthAndErrorsTest extends IntegrationTest {

    @Test
    void livenessAndReadinessReportTheDatabase() {
        Api.Response live = api.get("/health", null);
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body().path("status").asString()).isEqualTo("ok");

        Api.Response ready = api.get("/health/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("services").path("database").asString()).isEqualTo("ok");
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
