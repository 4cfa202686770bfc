package app.confab.ops;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import app.confab.platform.DependencyCheck;
import app.confab.support.Api;
import app.confab.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Liveness ({@code /health}) must never call a dependency: a database blip that slows every check
 * to the probe timeout would otherwise restart every pod at once. A counting check stands in for
 * the dependencies; readiness calls it, liveness must not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(LivenessTest.CountingCheckConfig.class)
class LivenessTest {

    @LocalServerPort
    int port;

    @Autowired
    CountingCheck counting;

    /** Its own context (the extra check), so its own database: an embedded cluster serves one context. */
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.ownDatabase(registry);
    }

    @Test
    void livenessAnswersWithoutCallingAnyDependency() {
        Api api = new Api("http://localhost:" + port);
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
