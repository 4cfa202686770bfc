package app.confab;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.MutableClock;
import app.confab.support.TestDatabase;
import app.confab.support.Users;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limits of docs/subsystems/accounts.md ("Rate limits") as shipped (100 API requests per minute per client, 5 failed logins
 * per 15 minutes per username and client), in a context of its own: the shared test context raises
 * the API limit. Time only ever moves forward here, so every test starts by letting the buckets
 * refill instead of resetting the clock; within a test it is frozen, so exact counts hold.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"confab.rate-limit.api-per-minute=100", "confab.rate-limit.failed-logins-per-window=5",
                "confab.rate-limit.failed-login-window=15m"})
@Import(IntegrationTest.TestClockConfig.class)
@DirtiesContext
class RateLimitTest {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    private Api api;
    private Users users;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.ownDatabase(registry);
    }

    @BeforeEach
    void setUp() {
        clock.advance(Duration.ofMinutes(16));
        // Frozen, so only the test's own clock moves refill the buckets, however slow the machine.
        clock.freeze();
        api = new Api("http://localhost:" + port);
        users = new Users(api);
    }

    @AfterEach
    void letTimeFlow() {
        clock.unfreeze();
    }

    @Test
    void aSignedInClientGets100RequestsAMinute() {
        Users.TestUser alice = users.register("api");
        for (int i = 1; i <= 100; i++) {
            assertThat(api.get("/api/users/me", alice.token()).status()).as("request %d", i).isEqualTo(200);
        }
        Api.Response limited = api.get("/api/users/me", alice.token());
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(limited.body().path("error").path("requestId").asString()).isNotBlank();
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);

        // Another client is unaffected.
        Users.TestUser bob = users.register("api2");
        assertThat(api.get("/api/users/me", bob.token()).status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(1));
        assertThat(api.get("/api/users/me", alice.token()).status()).as("the window reopened").isEqualTo(200);
    }

    @Test
    void anonymousClientsAreLimitedByAddress() {
        for (int i = 1; i <= 100; i++) {
            assertThat(api.post("/api/auth/refresh", null, Map.of()).status()).as("request %d", i).isEqualTo(400);
        }
        Api.Response limited = api.post("/api/auth/login", null, Map.of("username", "someone", "password", "x"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(limited.header("Retry-After")).isNotBlank();

        clock.advance(Duration.ofMinutes(1));
        assertThat(api.post("/api/auth/refresh", null, Map.of()).status()).isEqualTo(400);
    }

    @Test
    void fiveFailedLoginsPerUsernameAndClientLockForFifteenMinutes() {
        Users.TestUser alice = users.register("lock");
        Users.TestUser bob = users.register("lock2");
        Map<String, String> wrong = Map.of("username", alice.username(), "password", "Wrong123!");
        Map<String, String> right = Map.of("username", alice.username(), "password", Users.PASSWORD);

        for (int i = 0; i < 4; i++) {
            assertThat(api.post("/api/auth/login", null, wrong).status()).isEqualTo(401);
        }
        assertThat(api.post("/api/auth/login", null, right).status()).as("successes are not counted").isEqualTo(200);
        assertThat(api.post("/api/auth/login", null, wrong).status()).isEqualTo(401);

        Api.Response limited = api.post("/api/auth/login", null, right);
        assertThat(limited.status()).as("even the right password waits").isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 15 * 60L);
        Map<String, String> otherCase = Map.of("username", alice.username().toUpperCase(), "password", Users.PASSWORD);
        assertThat(api.post("/api/auth/login", null, otherCase).status()).as("the username is case-insensitive").isEqualTo(429);

        assertThat(api.post("/api/auth/login", null, Map.of("username", bob.username(), "password", Users.PASSWORD))
                .status()).as("another username from the same client").isEqualTo(200);

        clock.advance(Duration.ofMinutes(14));
        assertThat(api.post("/api/auth/login", null, right).status()).isEqualTo(429);
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(api.post("/api/auth/login", null, right).status()).as("the window reopened").isEqualTo(200);
    }
}
