package app.confab.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users.TestUser;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * "Deleted means gone" (docs/subsystems/chats-messages.md) (issue 12, item 2): after a delete or an edit, no path — socket
 * catch-up, long-poll, search, the events table itself — serves the text the chat no longer shows.
 */
class DeletedMeansGoneTest extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    private record Setup(TestUser alice, TestUser bob, String chatId, String cursor) {
    }

    private Setup group(String prefix) {
        TestUser alice = users.register(prefix + "_a");
        TestUser bob = users.register(prefix + "_b");
        String chatId = ok(api.post("/api/chats/group", alice.token(),
                Map.of("name", "Gone " + prefix, "participantIds", List.of(bob.id())))).path("chat").path("id").asString();
        // Bob's device went away before anything below was said: it will catch up from here.
        String cursor = ok(api.get("/api/events", bob.token())).path("cursor").asString();
        return new Setup(alice, bob, chatId, cursor);
    }

    private String send(Setup setup, String content, String replyTo) {
        Map<String, Object> body = replyTo == null ? Map.of("content", content)
                : Map.of("content", content, "replyToId", replyTo);
        return ok(api.post("/api/chats/" + setup.chatId() + "/messages", setup.alice().token(), body))
                .path("message").path("id").asString();
    }

    /** Every frame Bob's socket gets when it resumes from the setup's cursor, up to ready. */
    private String socketCatchUp(Setup setup) {
        try (WsClient ws = WsClient.connectWithHeader(api.baseUrl(), setup.bob().token(), setup.cursor())) {
            ws.awaitType("ready");
            return ws.received().toString();
        }
    }

    private String longPollCatchUp(Setup setup) {
        return ok(api.get("/api/events?cursor=" + setup.cursor() + "&timeout=0", setup.bob().token())).toString();
    }

    private long eventsHolding(String text) {
        return jdbc.sql("SELECT count(*) FROM events WHERE payload::text LIKE :pattern")
                .param("pattern", "%" + text + "%").query(Long.class).single();
    }

    @Test
    void afterADeleteCatchUpGetsTheDeletionNeverTheText() {
        Setup setup = group("gone_del");
        String secret = "launchcode" + UUID.randomUUID().toString().substring(0, 8);
        String id = send(setup, "the " + secret + " is here", null);
        String reply = send(setup, "noted", id);
        ok(api.put("/api/messages/" + id, setup.alice().token(), Map.of("content", "the " + secret + " twice")));
        assertThat(api.delete("/api/messages/" + id, setup.alice().token()).status()).isEqualTo(204);

        String socket = socketCatchUp(setup);
        assertThat(socket).contains("\"message:deleted\"").contains(id).contains(reply).doesNotContain(secret);
        String polled = longPollCatchUp(setup);
        assertThat(polled).contains("\"message:deleted\"").contains(reply).doesNotContain(secret);
        assertThat(eventsHolding(secret)).as("events rows holding the deleted text").isZero();
        assertThat(ok(api.get("/api/messages/search?q=" + secret, setup.bob().token())).path("results").size()).isZero();
    }

    @Test
    void afterAnEditCatchUpGetsTheEditedTextOnly() {
        Setup setup = group("gone_edit");
        String first = "draftword" + UUID.randomUUID().toString().substring(0, 8);
        String second = "middleword" + UUID.randomUUID().toString().substring(0, 8);
        String last = "finalword" + UUID.randomUUID().toString().substring(0, 8);
        String id = send(setup, "say " + first, null);
        String reply = send(setup, "agreed", id);
        ok(api.put("/api/messages/" + id, setup.alice().token(), Map.of("content", "say " + second)));
        ok(api.put("/api/messages/" + id, setup.alice().token(), Map.of("content", "say " + last)));

        for (String caughtUp : List.of(socketCatchUp(setup), longPollCatchUp(setup))) {
            assertThat(caughtUp).contains(id).contains(reply).contains(last).doesNotContain(first).doesNotContain(second);
        }
        assertThat(eventsHolding(first)).as("events rows holding the first text").isZero();
        assertThat(eventsHolding(second)).as("events rows holding the replaced text").isZero();
        assertThat(ok(api.get("/api/messages/search?q=" + first, setup.bob().token())).path("results").size()).isZero();
        assertThat(ok(api.get("/api/messages/search?q=" + last, setup.bob().token())).path("results").size()).isEqualTo(1);
    }

    private static JsonNode ok(Api.Response response) {
        assertThat(response.status()).as(response.text()).isBetween(200, 299);
        return response.body();
    }
}
