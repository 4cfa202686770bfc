package app.confab.attachment;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users.TestUser;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Avatars are uploaded images, validated and stripped like attachments, served square by the server. */
class AvatarUploadTest extends IntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private Api.Response putAvatar(String token, String field, String fileName, byte[] bytes) throws Exception {
        String boundary = "confab-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/users/me/avatar"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isBlank() ? null : Api.json().readTree(response.body());
        return new Api.Response(response.statusCode(), json, response.body(), response.headers().map());
    }

    @Test
    void anUploadedAvatarIsStrippedCutSquareAndServedToSignedInUsers() throws Exception {
        TestUser alice = users.register("avatar_up");
        TestUser bob = users.register("avatar_viewer");
        byte[] photo = TestImages.jpegWithExif(TestImages.halves(900, 600, BufferedImage.TYPE_INT_RGB), 1);
        assertThat(TestImages.contains(photo, TestImages.SECRET)).isTrue();

        Api.Response uploaded = putAvatar(alice.token(), "avatar", "me.jpg", photo);

        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(200);
        String url = uploaded.body().path("user").path("avatarUrl").asString();
        assertThat(url).matches("/api/users/" + alice.id() + "/avatar\\?v=[A-Za-z0-9_-]+");
        assertThat(api.get("/api/users/" + alice.id(), bob.token()).body().path("user").path("avatarUrl").asString()).isEqualTo(url);

        Uploads uploads = new Uploads(api.baseUrl());
        Uploads.Download image = uploads.get(url, bob.token());
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.header("Content-Type")).isEqualTo("image/jpeg");
        assertThat(image.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(TestImages.contains(image.body(), TestImages.SECRET)).isFalse();
        BufferedImage square = TestImages.decode(image.body());
        assertThat(square.getWidth()).isEqualTo(256);
        assertThat(square.getHeight()).isEqualTo(256);
        // Not for anyone without a token.
        assertThat(uploads.get(url, null).status()).isEqualTo(401);

        // A new upload replaces the old one under a new URL.
        Api.Response again = putAvatar(alice.token(), "avatar", "again.png", TestImages.png(100, 300));
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        String newUrl = again.body().path("user").path("avatarUrl").asString();
        assertThat(newUrl).isNotEqualTo(url);
        BufferedImage small = TestImages.decode(uploads.get(newUrl, bob.token()).body());
        assertThat(small.getWidth()).isEqualTo(100);
        assertThat(small.getHeight()).isEqualTo(100);
    }

    @Test
    void whatIsNotAnImageIsRefusedInTheErrorFormat() throws Exception {
        TestUser alice = users.register("avatar_bad");
        Api.Response text = putAvatar(alice.token(), "avatar", "evil.jpg", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
        assertThat(text.status()).as(text.text()).isEqualTo(400);
        assertThat(text.errorCode()).isEqualTo("VALIDATION_ERROR");
        Api.Response wrongField = putAvatar(alice.token(), "image", "a.png", TestImages.png(20, 20));
        assertThat(wrongField.status()).isEqualTo(400);
        assertThat(wrongField.body().path("error").path("details").get(0).path("field").asString()).isEqualTo("avatar");
        assertThat(api.get("/api/users/" + UUID.randomUUID() + "/avatar", alice.token()).status()).isEqualTo(404);
        assertThat(api.get("/api/users/me", alice.token()).body().path("user").path("avatarUrl").isNull()).isTrue();
        // A URL pointing anywhere else is no avatar.
        Api.Response foreign = api.patch("/api/users/me/avatar", alice.token(), Map.of("avatarUrl", "/api/%2e%2e/admin/users"));
        assertThat(foreign.status()).isEqualTo(400);
    }
}
