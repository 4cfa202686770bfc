package app.confab.attachment;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import app.confab.platform.ApiException;
import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users;
import app.confab.support.Users.TestUser;
import tools.jackson.databind.JsonNode;

import static app.confab.attachment.TestImages.*;
import static app.confab.attachment.Uploads.part;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Image sharing through the real HTTP API, with real storage on disk and real PostgreSQL. */
class AttachmentApiTest extends IntegrationTest {

    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private MessageAttachments messageAttachments;
    @Autowired
    private AttachmentService attachmentService;
    @Autowired
    private ObjectStore store;

    private Uploads uploads;

    @BeforeEach
    void setUpUploads() {
        uploads = new Uploads(api.baseUrl());
    }

    @Test
    void uploadsEveryFormatAndServesEachSize() {
        TestUser alice = users.register("alice");

        Api.Response response = uploads.upload(alice.token(), List.of(
                part("photo.jpg", "image/jpeg", jpeg(2000, 1500)),
                part("drawing.png", "image/png", png(300, 200)),
                part("clip.gif", "image/gif", animatedGif(400, 300)),
                part("sticker.webp", "image/webp", WEBP_LOSSLESS)));

        assertThat(response.status()).as(response.text()).isEqualTo(201);
        JsonNode attachments = response.body().path("attachments");
        assertThat(attachments.size()).isEqualTo(4);
        JsonNode photo = attachments.get(0);
        assertThat(photo.path("id").asString()).isNotBlank();
        assertThat(photo.path("fileName").asString()).isEqualTo("photo.jpg");
        assertThat(photo.path("fileType").asString()).isEqualTo("image/jpeg");
        assertThat(photo.path("sizeBytes").asLong()).isPositive();
        assertThat(photo.path("width").asInt()).isEqualTo(2000);
        assertThat(photo.path("height").asInt()).isEqualTo(1500);
        assertThat(attachments.get(1).path("fileType").asString()).isEqualTo("image/png");
        assertThat(attachments.get(2).path("fileType").asString()).isEqualTo("image/gif");
        assertThat(attachments.get(3).path("fileType").asString()).isEqualTo("image/webp");
        assertThat(attachments.get(3).path("width").asInt()).isEqualTo(48);

        for (JsonNode attachment : attachments) {
            String id = attachment.path("id").asString();
            Uploads.Download original = uploads.get("/api/attachments/" + id, alice.token());
            assertThat(original.status()).isEqualTo(200);
            assertThat(original.header("Content-Type")).isEqualTo(attachment.path("fileType").asString());
            assertThat(original.body().length).isEqualTo(attachment.path("sizeBytes").asInt());

            BufferedImage thumbnail = decode(uploads.get("/api/attachments/" + id + "/thumbnail", alice.token()).body());
            assertThat(Math.max(thumbnail.getWidth(), thumbnail.getHeight())).isLessThanOrEqualTo(320);
            BufferedImage medium = decode(uploads.get("/api/attachments/" + id + "/medium", alice.token()).body());
            assertThat(Math.max(medium.getWidth(), medium.getHeight())).isLessThanOrEqualTo(1280);

            // The URLs in the payload go straight into <img>: no token needed.
            for (String field : List.of("url", "thumbnailUrl", "mediumUrl")) {
                Uploads.Download signed = uploads.get(attachment.path(field).asString(), null);
                assertThat(signed.status()).as(field).isEqualTo(200);
                assertThat(decode(signed.body()).getWidth()).isPositive();
            }
        }
        BufferedImage bigThumbnail = decode(uploads.get("/api/attachments/" + photo.path("id").asString() + "/thumbnail",
                alice.token()).body());
        assertThat(bigThumbnail.getWidth()).isEqualTo(320);
        assertThat(bigThumbnail.getHeight()).isEqualTo(240);
    }

    @Test
    void aTextFileRenamedToPngIsRefusedNamingTheFile() {
        TestUser alice = users.register("alice");

        Api.Response response = uploads.upload(alice.token(), List.of(
                part("fake.png", "image/png", "<svg onload=alert(1)>not an image</svg>".getBytes())));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(response.body().path("error").path("message").asString()).contains("fake.png");
        JsonNode detail = response.body().path("error").path("details").get(0);
        assertThat(detail.path("field").asString()).isEqualTo("images[0]");
        assertThat(detail.path("message").asString()).contains("fake.png").contains("not a JPEG, PNG, GIF or WebP");
    }

    @Test
    void truncatedCorruptAndBombFilesAreRefusedAndNothingIsStored() {
        TestUser alice = users.register("alice");
        byte[] jpeg = jpeg(800, 600);

        Api.Response response = uploads.upload(alice.token(), List.of(
                part("good.jpg", "image/jpeg", jpeg),
                part("cut.jpg", "image/jpeg", Arrays.copyOf(jpeg, jpeg.length / 2)),
                part("bomb.png", "image/png", pngClaiming(40_000, 40_000))));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_ERROR");
        JsonNode details = response.body().path("error").path("details");
        assertThat(details.size()).isEqualTo(2);
        assertThat(details.get(0).path("field").asString()).isEqualTo("images[1]");
        assertThat(details.get(0).path("message").asString()).contains("cut.jpg").contains("truncated");
        assertThat(details.get(1).path("field").asString()).isEqualTo("images[2]");
        assertThat(details.get(1).path("message").asString()).contains("bomb.png").contains("too large");
        // All or nothing: the good file of a refused upload is not kept either.
        assertThat(jdbc.sql("SELECT count(*) FROM attachments WHERE uploader_id = :id").param("id", alice.id())
                .query(Long.class).single()).isZero();
    }

    @Test
    void moreThanFiveFilesAreRefused() {
        TestUser alice = users.register("alice");
        List<Uploads.Part> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(part("p" + i + ".png", "image/png", png(20, 20)));
        }

        Api.Response response = uploads.upload(alice.token(), six);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(response.body().path("error").path("details").get(0).path("field").asString()).isEqualTo("images");
    }

    @Test
    void aFileOverTheServerLimitIsRefusedAs413() {
        TestUser alice = users.register("alice");
        byte[] big = Arrays.copyOf(png(20, 20), 25 * 1024 * 1024 + 1); // MAX_FILE_MB defaults to 25

        Api.Response response = uploads.upload(alice.token(), List.of(part("huge.png", "image/png", big)));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void missingFieldAndNonMultipartRequestsAreRefused() {
        TestUser alice = users.register("alice");

        Api.Response wrongField = uploads.upload(alice.token(), "file", List.of(part("a.png", "image/png", png(20, 20))));
        assertThat(wrongField.status()).isEqualTo(400);
        assertThat(wrongField.body().path("error").path("details").get(0).path("field").asString()).isEqualTo("images");

        Api.Response json = api.post("/api/attachments/upload", alice.token(), Map.of("images", "x"));
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.errorCode()).isEqualTo("VALIDATION_ERROR");

        Api.Response anonymous = uploads.upload(null, List.of(part("a.png", "image/png", png(20, 20))));
        assertThat(anonymous.status()).isEqualTo(401);
    }

    @Test
    void orientationIsAppliedAndGpsIsGoneFromWhatIsServed() {
        TestUser alice = users.register("alice");
        byte[] photo = jpegWithExif(halves(600, 400, BufferedImage.TYPE_INT_RGB), 6);
        assertThat(TestImages.contains(photo, SECRET)).isTrue();

        JsonNode attachment = uploadOne(alice, "phone.jpg", photo);

        assertThat(attachment.path("width").asInt()).isEqualTo(400);
        assertThat(attachment.path("height").asInt()).isEqualTo(600);
        String id = attachment.path("id").asString();
        for (String path : List.of("", "/medium", "/thumbnail")) {
            byte[] served = uploads.get("/api/attachments/" + id + path, alice.token()).body();
            assertThat(TestImages.contains(served, SECRET)).as(path).isFalse();
            assertThat(TestImages.contains(served, "Exif")).as(path).isFalse();
            BufferedImage image = decode(served);
            assertThat(image.getHeight()).isGreaterThan(image.getWidth());
            assertThat(isReddish(image.getRGB(image.getWidth() / 2, image.getHeight() / 8))).as(path).isTrue();
        }
    }

    @Test
    void onlyTheUploaderSeesAnUnsentFileAndOnlyMembersASentOne() {
        TestUser alice = users.register("alice");
        TestUser bob = users.register("bob");
        TestUser mallory = users.register("mallory");
        String id = uploadOne(alice, "a.png", png(50, 50)).path("id").asString();

        assertThat(uploads.get("/api/attachments/" + id, alice.token()).status()).isEqualTo(200);
        assertThat(uploads.get("/api/attachments/" + id, bob.token()).status()).isEqualTo(404);
        assertThat(uploads.get("/api/attachments/" + id, null).status()).isEqualTo(401);

        UUID chat = chatWith(alice.id(), bob.id());
        UUID message = messageIn(chat, alice.id());
        messageAttachments.attach(alice.id(), chat, message, List.of(UUID.fromString(id)));

        for (String path : List.of("", "/thumbnail", "/medium")) {
            assertThat(uploads.get("/api/attachments/" + id + path, bob.token()).status()).as(path).isEqualTo(200);
            Uploads.Download refused = uploads.get("/api/attachments/" + id + path, mallory.token());
            assertThat(refused.status()).as(path).isEqualTo(404);
            assertThat(refused.json().path("error").path("code").asString()).isEqualTo("NOT_FOUND");
        }

        jdbc.sql("UPDATE chat_participants SET left_at = now() WHERE chat_id = :chat AND user_id = :user")
                .param("chat", chat).param("user", bob.id()).update();
        assertThat(uploads.get("/api/attachments/" + id, bob.token()).status()).isEqualTo(404);
    }

    @Test
    void signedUrlsWorkWithoutATokenUntilTheyExpire() {
        TestUser alice = users.register("alice");
        JsonNode attachment = uploadOne(alice, "a.jpg", jpeg(500, 400));
        String url = attachment.path("thumbnailUrl").asString();
        assertThat(url).matches("/api/attachments/[0-9a-f-]{36}/signed/thumbnail\\?exp=\\d+&sig=[A-Za-z0-9_-]+");

        Uploads.Download fresh = uploads.get(url, null);
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(fresh.header("Cache-Control")).startsWith("private, max-age=");

        Uploads.Download tampered = uploads.get(url.replace("/thumbnail?", "/original?"), null);
        assertThat(tampered.status()).isEqualTo(403);
        String badSignature = url.substring(0, url.length() - 3) + (url.endsWith("AAA") ? "BBB" : "AAA");
        assertThat(uploads.get(badSignature, null).status()).isEqualTo(403);

        clock.advance(Duration.ofMinutes(4));
        assertThat(uploads.get(url, null).status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(7));
        Uploads.Download expired = uploads.get(url, null);
        assertThat(expired.status()).isEqualTo(403);
        assertThat(expired.json().path("error").path("message").asString()).contains("expired");
        // An API client with a token still gets through (the member check replaces the signature).
        assertThat(uploads.get(url, freshToken(alice)).status()).isEqualTo(200);
        assertThat(uploads.get(url, users.register("eve").token()).status()).isEqualTo(404);
    }

    @Test
    void responsesAreCacheableAndRevalidateWithETags() {
        TestUser alice = users.register("alice");
        String id = uploadOne(alice, "a.png", png(50, 50)).path("id").asString();

        Uploads.Download first = uploads.get("/api/attachments/" + id + "/medium", alice.token());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Cache-Control")).contains("private").contains("max-age=31536000").contains("immutable");
        assertThat(first.header("X-Content-Type-Options")).isEqualTo("nosniff");
        String etag = first.header("ETag");
        assertThat(etag).isNotBlank();

        Uploads.Download again = uploads.get("/api/attachments/" + id + "/medium", alice.token(), Map.of("If-None-Match", etag));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        // Revalidation is still access-checked.
        assertThat(uploads.get("/api/attachments/" + id + "/medium", users.register("eve").token(),
                Map.of("If-None-Match", etag)).status()).isEqualTo(404);
    }

    @Test
    void theUploaderDeletesAnUnsentFileButNotASentOne() {
        TestUser alice = users.register("alice");
        TestUser bob = users.register("bob");
        JsonNode unsent = uploadOne(alice, "a.png", png(50, 50));
        String unsentId = unsent.path("id").asString();

        assertThat(api.delete("/api/attachments/" + unsentId, bob.token()).status()).isEqualTo(404);
        assertThat(api.delete("/api/attachments/" + unsentId, alice.token()).status()).isEqualTo(204);
        assertThat(uploads.get("/api/attachments/" + unsentId, alice.token()).status()).isEqualTo(404);
        assertThat(uploads.get(unsent.path("url").asString(), null).status()).isEqualTo(404);
        assertThat(api.delete("/api/attachments/" + unsentId, alice.token()).status()).isEqualTo(404);

        String sentId = uploadOne(alice, "b.png", png(50, 50)).path("id").asString();
        UUID chat = chatWith(alice.id(), bob.id());
        messageAttachments.attach(alice.id(), chat, messageIn(chat, alice.id()), List.of(UUID.fromString(sentId)));
        Api.Response conflict = api.delete("/api/attachments/" + sentId, alice.token());
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.errorCode()).isEqualTo("CONFLICT");
        assertThat(api.delete("/api/attachments/" + sentId, bob.token()).status()).isEqualTo(403);
        assertThat(api.delete("/api/attachments/not-a-uuid", alice.token()).status()).isEqualTo(400);
    }

    @Test
    void attachLinksOnlyTheSendersOwnUnsentUploadsInTheOrderGiven() {
        TestUser alice = users.register("alice");
        TestUser bob = users.register("bob");
        UUID first = UUID.fromString(uploadOne(alice, "1.png", png(40, 40)).path("id").asString());
        UUID second = UUID.fromString(uploadOne(alice, "2.jpg", jpeg(40, 40)).path("id").asString());
        UUID bobs = UUID.fromString(uploadOne(bob, "b.png", png(40, 40)).path("id").asString());
        UUID chat = chatWith(alice.id(), bob.id());

        UUID stolen = messageIn(chat, alice.id());
        assertThatThrownBy(() -> messageAttachments.attach(alice.id(), chat, stolen, List.of(first, bobs)))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).details().getFirst().field()).isEqualTo("attachmentIds"));
        assertThat(messageAttachments.forMessages(List.of(stolen))).isEmpty();

        UUID message = messageIn(chat, alice.id());
        List<AttachmentView> attached = messageAttachments.attach(alice.id(), chat, message, List.of(second, first, second));
        assertThat(attached).extracting(AttachmentView::id).containsExactly(second, first);
        assertThat(attached.getFirst().fileName()).isEqualTo("2.jpg");
        assertThat(attached.getFirst().thumbnailUrl()).contains("/signed/thumbnail?");

        Map<UUID, List<AttachmentView>> byMessage = messageAttachments.forMessages(List.of(message, stolen));
        assertThat(byMessage).containsOnlyKeys(message);
        assertThat(byMessage.get(message)).extracting(AttachmentView::id).containsExactly(second, first);

        UUID another = messageIn(chat, alice.id());
        assertThatThrownBy(() -> messageAttachments.attach(alice.id(), chat, another, List.of(first)))
                .isInstanceOf(ApiException.class);
        assertThat(messageAttachments.attach(alice.id(), chat, another, List.of())).isEmpty();
    }

    @Test
    void deletingTheMessageRemovesItsFiles() throws Exception {
        TestUser alice = users.register("alice");
        TestUser bob = users.register("bob");
        UUID id = UUID.fromString(uploadOne(alice, "a.png", png(40, 40)).path("id").asString());
        UUID chat = chatWith(alice.id(), bob.id());
        UUID message = messageIn(chat, alice.id());
        messageAttachments.attach(alice.id(), chat, message, List.of(id));
        List<String> keys = objectKeys(id);
        assertThat(keys).hasSize(3).allSatisfy(key -> assertThat(exists(key)).isTrue());

        messageAttachments.messageDeleted(message);

        assertThat(uploads.get("/api/attachments/" + id, bob.token()).status()).isEqualTo(404);
        assertThat(messageAttachments.forMessages(List.of(message))).isEmpty();
        assertThat(keys).allSatisfy(key -> assertThat(exists(key)).isFalse());
        assertThat(objectKeys(id)).isEmpty();
    }

    @Test
    void uploadsNeverSentAreRemovedAfterADay() {
        TestUser alice = users.register("alice");
        TestUser bob = users.register("bob");
        UUID forgotten = UUID.fromString(uploadOne(alice, "old.png", png(40, 40)).path("id").asString());
        UUID sent = UUID.fromString(uploadOne(alice, "sent.png", png(40, 40)).path("id").asString());
        UUID chat = chatWith(alice.id(), bob.id());
        messageAttachments.attach(alice.id(), chat, messageIn(chat, alice.id()), List.of(sent));
        List<String> forgottenKeys = objectKeys(forgotten);

        clock.advance(Duration.ofHours(23));
        attachmentService.sweep();
        assertThat(uploads.get("/api/attachments/" + forgotten, freshToken(alice)).status()).isEqualTo(200);

        clock.advance(Duration.ofHours(2));
        String aliceToken = freshToken(alice);
        Api.Response recentUpload = uploads.upload(aliceToken, List.of(part("new.png", "image/png", png(40, 40))));
        UUID recent = UUID.fromString(recentUpload.body().path("attachments").get(0).path("id").asString());
        attachmentService.sweep();

        assertThat(uploads.get("/api/attachments/" + forgotten, aliceToken).status()).isEqualTo(404);
        assertThat(forgottenKeys).allSatisfy(key -> assertThat(exists(key)).isFalse());
        assertThat(uploads.get("/api/attachments/" + sent, freshToken(bob)).status()).isEqualTo(200);
        assertThat(uploads.get("/api/attachments/" + recent, aliceToken).status()).isEqualTo(200);
        assertThatThrownBy(() -> messageAttachments.attach(alice.id(), chat, messageIn(chat, alice.id()), List.of(forgotten)))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void readinessReportsStorage() {
        Api.Response ready = api.get("/health/ready", null);
        assertThat(ready.body().path("services").path("storage").asString()).isEqualTo("ok");
    }

    /** Access tokens last 15 minutes of (test) clock time; after moving the clock, sign in again. */
    private String freshToken(TestUser user) {
        return api.post("/api/auth/login", null, Map.of("username", user.username(), "password", Users.PASSWORD))
                .body().path("accessToken").asString();
    }

    private JsonNode uploadOne(TestUser user, String fileName, byte[] bytes) {
        Api.Response response = uploads.upload(user.token(), List.of(part(fileName, "application/octet-stream", bytes)));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.body().path("attachments").get(0);
    }

    private UUID chatWith(UUID... members) {
        UUID chat = jdbc.sql("INSERT INTO chats (type, name, owner_id) VALUES ('group', 'Pictures', :owner) RETURNING id")
                .param("owner", members[0])
                .query(UUID.class)
                .single();
        for (UUID member : members) {
            jdbc.sql("INSERT INTO chat_participants (chat_id, user_id) VALUES (:chat, :user)")
                    .param("chat", chat).param("user", member).update();
        }
        return chat;
    }

    private UUID messageIn(UUID chat, UUID sender) {
        return jdbc.sql("""
                INSERT INTO messages (chat_id, sender_id, position, content, content_type)
                VALUES (:chat, :sender, nextval('event_position_seq'), '', 'image') RETURNING id
                """)
                .param("chat", chat)
                .param("sender", sender)
                .query(UUID.class)
                .single();
    }

    private List<String> objectKeys(UUID id) {
        return jdbc.sql("SELECT storage_key, medium_key, thumbnail_key FROM attachments WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                .optional()
                .orElse(List.of());
    }

    private boolean exists(String key) {
        try {
            return store.exists(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
