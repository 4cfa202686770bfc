package app.confab.delivery;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.confab.support.Users.TestUser;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Fault test 1 of issue 3: a client that was away gets exactly what it missed, in order, once. */
class ResumeAfterDisconnectTest extends DeliveryTest {

    @Test
    void aClientThatReconnectsWithItsCursorGetsExactlyTheHundredMessagesItMissedInOrder() {
        TestUser alice = users.register("rs_a");
        TestUser bob = users.register("rs_b");
        UUID chat = chats.group(alice.id(), bob.id());
        String cursor;
        try (WsClient ws = WsClient.connectReady(baseUrl(), bob.token(), null)) {
            TestChats.Sent seen = chats.send(chat, alice.id(), "before the drop");
            JsonNode event = ws.nextDurable();
            assertThat(event.path("cursor").asString()).isEqualTo(Long.toString(seen.position()));
            cursor = event.path("cursor").asString();
            ws.abort();
        }

        List<TestChats.Sent> missed = chats.sendMany(chat, alice.id(), "while away", 100);

        try (WsClient ws = WsClient.connectWithAuthFrame(baseUrl(), bob.token(), cursor)) {
            for (TestChats.Sent expected : missed) {
                JsonNode event = ws.nextDurable();
                assertThat(event.path("type").asString()).isEqualTo("message:new");
                assertThat(event.path("cursor").asString()).isEqualTo(Long.toString(expected.position()));
                assertThat(event.path("data").path("message").path("id").asString()).isEqualTo(expected.messageId().toString());
            }
            JsonNode ready = ws.awaitType("ready");
            assertThat(ready.path("data").path("cursor").asString()).isNotBlank();
            // Nothing twice: after ready only new events come, and none of the hundred again.
            TestChats.Sent after = chats.send(chat, alice.id(), "after the resume");
            JsonNode next = ws.nextDurable();
            assertThat(next.path("cursor").asString()).isEqualTo(Long.toString(after.position()));
            assertThat(ws.pending()).noneMatch(frame -> frame.has("cursor"));
        }
    }
}
