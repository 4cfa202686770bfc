package app.confab.delivery;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import app.confab.support.Users.TestUser;
import app.confab.support.World;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Fault test 1 of issue 3: a client that was away gets exactly what it missed, in order, once. */
class ResumeAfterDisconnectTest extends DeliveryTest {

    @Test
    void aClientThatReconnectsWithItsCursorGetsExactlyTheHundredMessagesItMissedInOrder() {
        TestUser alice = users.register("rs_a");
        TestUser bob = users.register("rs_b");
        World.Chat chat = world.group("delivery test", alice, bob);
        String cursor;
        try (WsClient ws = WsClient.connectReady(baseUrl(), bob.token(), null)) {
            World.Message seen = chat.send(alice, "before the drop");
            JsonNode event = World.nextMessage(ws);
            assertThat(event.path("cursor").asString()).isEqualTo(Long.toString(seen.position()));
            cursor = event.path("cursor").asString();
            ws.abort();
        }

        // A hundred messages while bob is away, half over REST and half over alice's WebSocket.
        List<World.Message> missed = new ArrayList<>();
        try (WsClient sender = WsClient.connectReady(baseUrl(), alice.token(), null)) {
            for (int i = 0; i < 100; i++) {
                missed.add(i % 2 == 0 ? chat.send(alice, "rest " + i) : chat.send(sender, "ws " + i));
            }
        }

        try (WsClient ws = WsClient.connectWithAuthFrame(baseUrl(), bob.token(), cursor)) {
            for (World.Message expected : missed) {
                JsonNode event = ws.nextDurable();
                assertThat(event.path("type").asString()).isEqualTo("message:new");
                assertThat(event.path("cursor").asString()).isEqualTo(Long.toString(expected.position()));
                assertThat(event.path("data").path("id").asString()).isEqualTo(expected.id());
            }
            JsonNode ready = ws.awaitType("ready");
            assertThat(Long.parseLong(ready.path("data").path("cursor").asString()))
                    .isGreaterThanOrEqualTo(missed.getLast().position());
            // Nothing twice: after ready only new events come, and none of the hundred again.
            World.Message after = chat.send(alice, "after the resume");
            JsonNode next = World.nextMessage(ws);
            assertThat(next.path("cursor").asString()).isEqualTo(Long.toString(after.position()));
            assertThat(ws.pending()).noneMatch(frame -> frame.has("cursor"));
        }
    }
}
