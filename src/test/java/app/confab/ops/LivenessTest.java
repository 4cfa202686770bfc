package app.confab.ops;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import app.confab.platform.DependencyCheck;
import app.confab.support.Api;
import app.confab.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Liveness ({@code /health}) must never call a dependency: a database blip that slows every check
 * to the probe timeout would otherwise restart every pod at once. A counting check stands in for
 * the dependencies; readiness calls it, liveness must not.
 */
@Import(LivenessTest.CountingCheckConfig.class)
class LivenessTest extends IntegrationTest {

    @Autowired
    CountingCheck counting;

    @Test
    void livenessAnswersWithoutCallingAnyDependency() {
        int before = counting.calls.get();
        for (int i = 0; i < 3; i++) {
            Api.Response live = api.get("/health", null);
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.body().path("status").asString()).isEqualTo("ok");
            assertThat(live.body().path("version").asString()).isNotBlank();
        }
        assertThat(counting.calls.get()).as("dependency checks run by /health").isEqualTo(before);

        Api.Response ready = api.get("/health/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("services").path("counting").asString()).isEqualTo("ok");
        assertThat(counting.calls.get()).as("dependency checks run by /health/ready").isGreaterThan(before);
    }

    static final class CountingCheck implements DependencyCheck {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public boolean isHealthy() {
            calls.incrementAndGet();
            return true;
        }

        @Override
        public boolean critical() {
            return false;
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class CountingCheckConfig {
        @Bean
        CountingCheck countingCheck() {
            return new CountingCheck();
        }
    }
}
