package app.confab.attachment;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users;

import static org.assertj.core.api.Assertions.assertThat;

/** The administrator's maxUploadMb and defaultStorageQuotaMb hold on real uploads; the quota is the one users see. */
class AdminUploadLimitsTest extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void restoreSettings() {
        jdbc.sql("DELETE FROM app_settings WHERE key = 'admin.settings'").update();
    }

    @Test
    void maxUploadAndQuotaAreEnforced() {
        Users.TestUser admin = users.register("limits_admin");
        jdbc.sql("UPDATE users SET role = 'admin' WHERE id = :id").param("id", admin.id()).update();
        Users.TestUser member = users.register("limits_member");
        Uploads uploads = new Uploads(api.baseUrl());
        byte[] image = TestImages.png(TestImages.noise(700, 700, 7)); // well over 1 MB of noise
        assertThat(image.length).isGreaterThan(1024 * 1024);

        assertThat(uploads.upload(member.token(), List.of(Uploads.part("a.png", "image/png", image))).status()).isEqualTo(201);
        assertThat(api.put("/api/admin/settings", admin.token(), Map.of("maxUploadMb", 1)).status()).isEqualTo(200);
        Api.Response tooBig = uploads.upload(member.token(), List.of(Uploads.part("b.png", "image/png", image)));
        assertThat(tooBig.status()).as(tooBig.text()).isEqualTo(400);
        assertThat(tooBig.text()).contains("1 MB");

        assertThat(api.put("/api/admin/settings", admin.token(), Map.of("maxUploadMb", 10, "defaultStorageQuotaMb", 2)).status())
                .isEqualTo(200);
        // One quota: the administrator's is the one GET /api/users/me shows (not STORAGE_QUOTA_BYTES),
        // and it counts every stored byte of the member's files, derived sizes included.
        Api.Response me = api.get("/api/users/me", member.token());
        assertThat(me.body().path("storage").path("quotaBytes").asLong()).as(me.text()).isEqualTo(2L * 1024 * 1024);
        assertThat(me.body().path("storage").path("usedBytes").asLong()).as("originals and derived sizes")
                .isGreaterThan(image.length);
        Api.Response overQuota = uploads.upload(member.token(), List.of(Uploads.part("c.png", "image/png", image)));
        assertThat(overQuota.status()).as(overQuota.text()).isEqualTo(413);
        assertThat(overQuota.body().path("error").path("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(uploads.upload(admin.token(), List.of(Uploads.part("d.png", "image/png", image))).status())
                .as("another user's quota is their own").isEqualTo(201);

        // Unset, the deployment's STORAGE_QUOTA_BYTES (1 GB here) applies again.
        jdbc.sql("DELETE FROM app_settings WHERE key = 'admin.settings'").update();
        assertThat(api.get("/api/users/me", member.token()).body().path("storage").path("quotaBytes").asLong())
                .isEqualTo(1L << 30);
        assertThat(uploads.upload(member.token(), List.of(Uploads.part("e.png", "image/png", image))).status()).isEqualTo(201);
    }
}
