package app.confab.delivery;

import java.util.ArrayList;
import java.util.List;

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
        Conversation chat = Conversation.group(api, alice, bob);
        String cursor;
        try (WsClient ws = WsClient.connectReady(baseUrl(), bob.token(), null)) {
            Conversation.Sent seen = chat.sendRest(api, alice, "before the drop");
            JsonNode event = Conversation.nextMessage(ws);
            assertThat(event.path("cursor").asString()).isEqualTo(Long.toString(seen.position()));
            cursor = event.path("cursor").asString();
            ws.abort();
        }

        // A hundred messages while bob is away, half over REST and half over alice's WebSocket.
        List<Conversation.Sent> missed = new ArrayList<>();
        try (WsClient sender = WsClient.connectReady(baseUrl(), alice.token(), null)) {
            for (int i = 0; i < 100; i++) {
                missed.add(i % 2 == 0 ? chat.sendRest(api, alice, "rest " + i) : chat.sendWs(sender, "ws " + i));
            }
        }

        try (WsClient ws = WsClient.connectWithAuthFrame(baseUrl(), bob.token(), cursor)) {
            for (Conversation.Sent expected : missed) {
                JsonNode event = ws.nextDurable();
                assertThat(event.path("type").asString()).isEqualTo("message:new");
                assertThat(event.path("cursor").asString()).isEqualTo(Long.toString(expected.position()));
                assertThat(event.path("data").path("id").asString()).isEqualTo(expected.messageId());
            }
            JsonNode ready = ws.awaitType("ready");
            assertThat(Long.parseLong(ready.path("data").path("cursor").asString()))
                    .isGreaterThanOrEqualTo(missed.getLast().position());
            // Nothing twice: after ready only new events come, and none of the hundred again.
            Conversation.Sent after = chat.sendRest(api, alice, "after the resume");
            JsonNode next = Conversation.nextMessage(ws);
            assertThat(next.path("cursor").asString()).isEqualTo(Long.toString(after.position()));
            assertThat(ws.pending()).noneMatch(frame -> frame.has("cursor"));
        }
    }
}
