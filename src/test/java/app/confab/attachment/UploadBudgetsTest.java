package app.confab.attachment;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.api.BeforeEach;
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
import app.confab.support.Users.TestUser;

import static app.confab.attachment.Uploads.part;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One user cannot monopolise image decoding or storage: a per-minute budget of decoded pixels, one
 * upload decoded at a time per user, and a storage quota shown in GET /api/users/me.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "confab.rate-limit.api-per-minute=1000000",
        "confab.attachments.decode-pixels-per-minute=1000000",
        "confab.attachments.storage-quota-bytes=300000"})
@Import(IntegrationTest.TestClockConfig.class)
@DirtiesContext
class UploadBudgetsTest {

    // A context of its own (its limits differ), so its own database or data directory too.
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.ownDatabase(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    private DecodeBudget decodeBudget;

    private Api api;
    private Users users;

    @BeforeEach
    void setUp() {
        clock.reset();
        api = new Api("http://localhost:" + port);
        users = new Users(api);
    }

    private Api.Response upload(TestUser user, byte[] png) {
        return new Uploads(api.baseUrl()).upload(user.token(), List.of(part("p.png", "image/png", png)));
    }

    private static void assertError(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.errorCode()).isEqualTo(code);
        assertThat(response.body().path("error").path("requestId").asString()).isNotBlank();
    }

    @Test
    void decodedPixelsPerMinuteAreBudgetedPerUser() {
        TestUser heavy = users.register("px_heavy");
        TestUser other = users.register("px_other");

        assertThat(upload(heavy, TestImages.png(800, 1000)).status()).isEqualTo(201);
        Api.Response overBudget = upload(heavy, TestImages.png(800, 1000));
        assertError(overBudget, 429, "RATE_LIMIT_EXCEEDED");
        assertThat(overBudget.header("Retry-After")).isNotBlank();
        // Someone else's budget is their own.
        assertThat(upload(other, TestImages.png(800, 1000)).status()).isEqualTo(201);

        clock.advance(Duration.ofMinutes(1));
        assertThat(upload(heavy, TestImages.png(800, 1000)).status()).isEqualTo(201);
        // More pixels in one upload than a whole minute's budget can never pass.
        assertError(upload(heavy, TestImages.png(1200, 1000)), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void oneUploadIsDecodedAtATimePerUser() {
        TestUser user = users.register("px_serial");
        TestUser other = users.register("px_parallel");
        try (DecodeBudget.Slot busy = decodeBudget.enter(user.id())) {
            // While one of the user's uploads is being decoded, the next one is refused at once.
            Api.Response second = upload(user, TestImages.png(20, 20));
            assertError(second, 429, "RATE_LIMIT_EXCEEDED");
            assertThat(upload(other, TestImages.png(20, 20)).status()).isEqualTo(201);
        }
        assertThat(upload(user, TestImages.png(20, 20)).status()).isEqualTo(201);
    }

    @Test
    void storageQuotaIsEnforcedAndShownOnMe() {
        TestUser user = users.register("quota");
        Api.Response empty = api.get("/api/users/me", user.token());
        assertThat(empty.body().path("user").path("id").asString()).isEqualTo(user.id().toString());
        assertThat(empty.body().path("storage").path("usedBytes").asLong()).isZero();
        assertThat(empty.body().path("storage").path("quotaBytes").asLong()).isEqualTo(300_000);

        assertThat(upload(user, TestImages.png(60, 40)).status()).isEqualTo(201);
        long used = api.get("/api/users/me", user.token()).body().path("storage").path("usedBytes").asLong();
        assertThat(used).isPositive().isLessThan(300_000);

        // A photo-like 400x300 PNG is ~350 KB: more than the quota has left.
        byte[] large = TestImages.png(TestImages.noise(400, 300, 7));
        assertThat(large.length).isGreaterThan(300_000);
        Api.Response refused = upload(user, large);
        assertError(refused, 413, "PAYLOAD_TOO_LARGE");
        assertThat(refused.body().path("error").path("message").asString()).contains("quota");
        assertThat(api.get("/api/users/me", user.token()).body().path("storage").path("usedBytes").asLong()).isEqualTo(used);
    }
}
