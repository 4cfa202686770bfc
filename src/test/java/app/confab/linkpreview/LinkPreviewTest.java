package app.confab.linkpreview;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Link previews end to end: the admin setting, the fetch after commit, message:preview over WebSocket and long-poll. */
class LinkPreviewTest extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    private OpenGraphServer server;
    private Users.TestUser admin;

    @BeforeEach
    void setUp() throws Exception {
        server = new OpenGraphServer();
        admin = users.register("lp_admin");
        jdbc.sql("UPDATE users SET role = 'admin' WHERE id = :id").param("id", admin.id()).update();
    }

    @AfterEach
    void tearDown() {
        api.put("/api/admin/settings", admin.token(), Map.of("linkPreviews", false));
        server.close();
    }

    @Test
    void offByDefaultThenFetchedStoredAndAnnouncedWhenAnAdminEnablesIt() {
        Users.TestUser alice = users.register("lp_a");
        Users.TestUser bob = users.register("lp_b");
        Api.Response created = api.post("/api/chats/group", alice.token(),
                Map.of("name", "Links", "participantIds", java.util.List.of(bob.id())));
        String chat = created.body().path("chat").path("id").asString();

        assertThat(api.get("/api/admin/settings", admin.token()).body().path("linkPreviews").asBoolean()).isFalse();
        assertThat(api.put("/api/admin/settings", admin.token(), Map.of("linkPreviews", "yes")).status()).isEqualTo(400);
        assertThat(api.put("/api/admin/settings", alice.token(), Map.of("linkPreviews", true)).status()).isEqualTo(403);
        send(alice, chat, "disabled " + server.url("/page?m=off"));

        Api.Response enabled = api.put("/api/admin/settings", admin.token(), Map.of("linkPreviews", true));
        assertThat(enabled.status()).as(enabled.text()).isEqualTo(200);
        assertThat(enabled.body().path("linkPreviews").asBoolean()).isTrue();
        String cursor = api.get("/api/events", bob.token()).body().path("cursor").asString();

        try (WsClient bobWs = WsClient.connectReady(api.baseUrl(), bob.token(), null)) {
            JsonNode message = send(alice, chat, "look at " + server.url("/page?m=on") + " please");
            assertThat(message.path("linkPreview").isNull()).as("fetched after the send, not during it").isTrue();
            JsonNode preview = bobWs.awaitType("message:preview");
            assertThat(preview.path("data").path("messageId").asString()).isEqualTo(message.path("id").asString());
            assertThat(preview.path("data").path("chatId").asString()).isEqualTo(chat);
            assertThat(preview.path("data").path("linkPreview").path("title").asString()).isEqualTo("Confab & friends");

            JsonNode stored = api.get("/api/messages/" + message.path("id").asString(), bob.token()).body().path("message");
            assertThat(stored.path("linkPreview")).isEqualTo(preview.path("data").path("linkPreview"));
        }
        JsonNode polled = api.get("/api/events?cursor=" + cursor + "&timeout=1", bob.token()).body();
        assertThat(java.util.stream.StreamSupport.stream(polled.path("events").spliterator(), false)
                .filter(frame -> frame.path("type").asString().equals("message:preview"))).hasSize(1);
        assertThat(server.requests()).as("nothing was fetched while previews were off").containsExactly("/page?m=on");

        // A link the filter refuses gets no preview and no request.
        JsonNode refused = send(alice, chat, "metadata http://169.254.169.254/latest/meta-data/");
        JsonNode afterRefused = send(alice, chat, "then " + server.url("/page?m=last"));
        // Fetches run in order of sends only loosely; waiting for the later one's preview gives the
        // refused one every chance to have been (wrongly) fetched.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() ->
                !api.get("/api/messages/" + afterRefused.path("id").asString(), bob.token()).body().path("message")
                        .path("linkPreview").isNull());
        assertThat(api.get("/api/messages/" + refused.path("id").asString(), bob.token()).body().path("message")
                .path("linkPreview").isNull()).isTrue();
    }

    private JsonNode send(Users.TestUser user, String chat, String content) {
        Api.Response sent = api.post("/api/chats/" + chat + "/messages", user.token(), Map.of("content", content));
        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
        return sent.body().path("message");
    }
}
