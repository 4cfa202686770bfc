package app.confab.attachment;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import app.confab.chat.ChatTestSupport;
import app.confab.support.Api;
import app.confab.support.Users.TestUser;
import tools.jackson.databind.JsonNode;

import static app.confab.attachment.TestImages.*;
import static app.confab.attachment.Uploads.part;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole image flow through the real message endpoints: upload, send with attachmentIds, view, delete. */
class AttachmentMessageFlowTest extends ChatTestSupport {

    @Autowired
    private AttachmentService attachmentService;

    private Uploads uploads;

    @BeforeEach
    void setUpUploads() {
        uploads = new Uploads(api.baseUrl());
    }

    @Test
    void imagesSentInAMessageReachMembersOnlyAndGoWithTheMessage() {
        TestUser alice = world.user("alice");
        TestUser bob = world.user("bob");
        TestUser mallory = world.user("mallory");
        String chatId = world.group("Holiday", alice, bob).id();
        Api.Response uploaded = uploads.upload(alice.token(), List.of(
                part("beach.jpg", "image/jpeg", jpeg(1600, 1200)),
                part("map.png", "image/png", png(200, 100))));
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
        String beach = uploaded.body().path("attachments").get(0).path("id").asString();
        String map = uploaded.body().path("attachments").get(1).path("id").asString();

        Api.Response sent = api.post("/api/chats/" + chatId + "/messages", alice.token(),
                Map.of("content", "Look!", "attachmentIds", List.of(map, beach)));

        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
        JsonNode message = sent.body().path("message");
        // The client did not say so: a message holding images is an image message.
        assertThat(message.path("contentType").asString()).isEqualTo("image");
        JsonNode attachments = message.path("attachments");
        assertThat(attachments.size()).isEqualTo(2);
        assertThat(attachments.get(0).path("id").asString()).isEqualTo(map);
        assertThat(attachments.get(1).path("id").asString()).isEqualTo(beach);
        assertThat(attachments.get(1).path("width").asInt()).isEqualTo(1600);
        assertThat(attachments.get(1).path("height").asInt()).isEqualTo(1200);

        // What bob's client got over the event stream is directly usable in <img>.
        JsonNode delivered = eventsSeenBy(bob.id(), chatId, "message:new").getLast().data();
        String thumbnailUrl = delivered.path("attachments").get(1).path("thumbnailUrl").asString();
        Uploads.Download thumbnail = uploads.get(thumbnailUrl, null);
        assertThat(thumbnail.status()).isEqualTo(200);
        assertThat(decode(thumbnail.body()).getWidth()).isEqualTo(320);

        assertThat(uploads.get("/api/attachments/" + beach + "/medium", bob.token()).status()).isEqualTo(200);
        assertThat(uploads.get("/api/attachments/" + beach + "/medium", mallory.token()).status()).isEqualTo(404);

        JsonNode history = api.get("/api/chats/" + chatId + "/messages", bob.token()).body().path("data");
        JsonNode listed = history.get(0);
        assertThat(listed.path("attachments").size()).isEqualTo(2);
        assertThat(listed.path("attachments").get(1).path("mediumUrl").asString()).contains("/signed/medium?");

        // A sent image cannot be sent again, nor withdrawn on its own.
        Api.Response again = api.post("/api/chats/" + chatId + "/messages", alice.token(),
                Map.of("content", "again", "attachmentIds", List.of(beach)));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(api.delete("/api/attachments/" + beach, alice.token()).status()).isEqualTo(409);

        assertThat(api.delete("/api/messages/" + id(message), alice.token()).status()).isIn(200, 204);
        assertThat(uploads.get("/api/attachments/" + beach, alice.token()).status()).isEqualTo(404);
        assertThat(uploads.get(thumbnailUrl, null).status()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT count(*) FROM attachments WHERE id IN (:ids)")
                .param("ids", List.of(UUID.fromString(beach), UUID.fromString(map)))
                .query(Long.class).single()).isZero();
    }

    @Test
    void filesOfADeletedChatAreUnreadableAndSweptAway() {
        TestUser alice = world.user("alice");
        TestUser bob = world.user("bob");
        String chatId = world.group("Short-lived", alice, bob).id();
        String image = uploads.upload(alice.token(), List.of(part("a.png", "image/png", png(30, 30))))
                .body().path("attachments").get(0).path("id").asString();
        api.post("/api/chats/" + chatId + "/messages", alice.token(),
                Map.of("content", "", "contentType", "image", "attachmentIds", List.of(image)));
        assertThat(uploads.get("/api/attachments/" + image, bob.token()).status()).isEqualTo(200);

        assertThat(api.delete("/api/chats/" + chatId, alice.token()).status()).isIn(200, 204);

        assertThat(uploads.get("/api/attachments/" + image, bob.token()).status()).isEqualTo(404);
        attachmentService.sweep();
        assertThat(jdbc.sql("SELECT count(*) FROM attachments WHERE id = :id").param("id", UUID.fromString(image))
                .query(Long.class).single()).isZero();
    }

    @Test
    void someoneElsesUploadCannotBeSent() {
        TestUser alice = world.user("alice");
        TestUser bob = world.user("bob");
        String chatId = world.group("Team", alice, bob).id();
        Api.Response uploaded = uploads.upload(bob.token(), List.of(part("b.png", "image/png", png(30, 30))));
        String bobs = uploaded.body().path("attachments").get(0).path("id").asString();

        Api.Response sent = api.post("/api/chats/" + chatId + "/messages", alice.token(),
                Map.of("content", "mine now", "attachmentIds", List.of(bobs)));

        assertThat(sent.status()).isEqualTo(400);
        assertThat(sent.body().path("error").path("details").get(0).path("field").asString()).isEqualTo("attachmentIds");
        // The refused send left nothing behind: bob can still send his own upload.
        Api.Response own = api.post("/api/chats/" + chatId + "/messages", bob.token(),
                Map.of("content", "", "contentType", "image", "attachmentIds", List.of(bobs)));
        assertThat(own.status()).as(own.text()).isEqualTo(201);
    }
}
