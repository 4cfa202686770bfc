package app.confab;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import app.confab.platform.DataSourceConfig;
import app.confab.support.Api;
import app.confab.support.TestDatabase;
import app.confab.support.Users;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server started twice on one data directory, as an operator would restart it: what the
 * first run stored is there in the second. Then the second run loses its database, and says so.
 */
class RestartTest {

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(ConfabApplication.class).run(
                "--server.port=0",
                "--confab.data-dir=" + dataDir,
                "--confab.database-url=",
                "--confab.redis-url=",
                "--spring.jmx.enabled=false");
    }

    private static Api api(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new Api("http://localhost:" + port);
    }

    @Test
    void dataSurvivesARestartOnTheEmbeddedDatabase() throws Exception {
        Path dataDir = TestDatabase.newDataDir();
        Users.TestUser alice;
        Users.TestUser bob;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Api api = api(first);
            Users users = new Users(api);
            alice = users.register("restart_a");
            bob = users.register("restart_b");
            assertThat(api.post("/api/contacts", alice.token(), Map.of("userId", bob.id().toString())).status())
                    .isEqualTo(201);
        }

        try (ConfigurableApplicationContext second = start(dataDir)) {
            Api api = api(second);
            Api.Response login = api.post("/api/auth/login", null,
                    Map.of("username", alice.username(), "password", Users.PASSWORD));
            assertThat(login.status()).isEqualTo(200);
            assertThat(login.body().path("user").path("id").asString()).isEqualTo(alice.id().toString());

            Api.Response pending = api.get("/api/contacts/pending", bob.token());
            assertThat(pending.status()).as("tokens from before the restart still verify").isEqualTo(200);
            assertThat(pending.body().path("data").get(0).path("userId").asString()).isEqualTo(alice.id().toString());
            assertThat(api.post("/api/auth/refresh", null, Map.of("refreshToken", alice.refreshToken())).status())
                    .isEqualTo(200);

            // Now the database goes away under the running server.
            second.getBean(DataSourceConfig.EmbeddedDatabaseHolder.class).server().close();

            Api.Response live = api.get("/health", null);
            assertThat(live.status()).as("liveness: the process still answers").isEqualTo(200);
            // Liveness calls no dependency, so a database outage never restarts the pod (LivenessTest).
            assertThat(live.body().path("status").asString()).isEqualTo("ok");
            assertThat(live.body().has("services")).isFalse();
            Api.Response ready = api.get("/health/ready", null);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body().path("services").path("database").asString()).isEqualTo("error");

            Api.Response unavailable = api.get("/api/users/me", login.body().path("accessToken").asString());
            assertThat(unavailable.status()).isEqualTo(503);
            assertThat(unavailable.errorCode()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(unavailable.body().path("error").path("requestId").asString()).isNotBlank();
        }
    }
}
