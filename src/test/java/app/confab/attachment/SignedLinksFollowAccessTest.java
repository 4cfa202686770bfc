package app.confab.attachment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users.TestUser;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Signed image links are short-lived and answer only while the file's chat and the reader's access last. */
class SignedLinksFollowAccessTest extends IntegrationTest {

    private record Shared(String chatId, JsonNode attachment) {
    }

    private Shared shareImage(TestUser owner, TestUser member) {
        Uploads uploads = new Uploads(api.baseUrl());
        Api.Response uploaded = uploads.upload(member.token(), List.of(Uploads.part("p.png", "image/png", TestImages.png(60, 40))));
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
        String imageId = uploaded.body().path("attachments").get(0).path("id").asString();
        String chat = api.post("/api/chats/group", owner.token(), Map.of("name", "photos", "participantIds", List.of(member.id())))
                .body().path("chat").path("id").asString();
        Api.Response sent = api.post("/api/chats/" + chat + "/messages", member.token(),
                Map.of("content", "look", "attachmentIds", List.of(imageId)));
        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
        Api.Response read = api.get("/api/messages/" + sent.body().path("message").path("id").asString(), owner.token());
        return new Shared(chat, read.body().path("message").path("attachments").get(0));
    }

    @Test
    void signedLinksLiveMinutesNotDays() {
        Shared shared = shareImage(users.register("ttl_owner"), users.register("ttl_member"));
        for (String field : List.of("url", "mediumUrl", "thumbnailUrl")) {
            Matcher expiry = Pattern.compile("[?&]exp=(\\d+)").matcher(shared.attachment().path(field).asString());
            assertThat(expiry.find()).as(field).isTrue();
            long secondsLeft = Long.parseLong(expiry.group(1)) - Instant.now().getEpochSecond();
            assertThat(secondsLeft).as(field).isBetween(1L, Duration.ofMinutes(10).toSeconds());
        }
    }

    @Test
    void aDeletedChatsFilesStopAnsweringAtOnce() {
        TestUser owner = users.register("del_owner");
        Shared shared = shareImage(owner, users.register("del_member"));
        Uploads uploads = new Uploads(api.baseUrl());
        String thumbnail = shared.attachment().path("thumbnailUrl").asString();
        assertThat(uploads.get(thumbnail, null).status()).isEqualTo(200);

        assertThat(api.delete("/api/chats/" + shared.chatId(), owner.token()).status()).isIn(200, 204);

        for (String field : List.of("url", "mediumUrl", "thumbnailUrl")) {
            Uploads.Download gone = uploads.get(shared.attachment().path(field).asString(), null);
            assertThat(gone.status()).as(field).isEqualTo(404);
            assertThat(gone.json().path("error").path("code").asString()).isEqualTo("NOT_FOUND");
        }
    }

    @Test
    void aReaderWhoLeftIsRefusedWhenTheyPresentThemselves() {
        TestUser owner = users.register("left_owner");
        TestUser leaver = users.register("left_member");
        Shared shared = shareImage(owner, leaver);
        Uploads uploads = new Uploads(api.baseUrl());
        String medium = shared.attachment().path("mediumUrl").asString();
        assertThat(uploads.get(medium, leaver.token()).status()).isEqualTo(200);

        assertThat(api.post("/api/chats/" + shared.chatId() + "/leave", leaver.token(), null).status()).isIn(200, 204);

        assertThat(uploads.get(medium, leaver.token()).status()).isEqualTo(404);
        assertThat(uploads.get(medium, owner.token()).status()).isEqualTo(200);
    }
}
