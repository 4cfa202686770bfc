package app.confab.delivery;

import java.util.Map;
import java.util.UUID;

import app.confab.support.Api;
import app.confab.support.Users.TestUser;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** A chat driven through the real API: REST to create it and send, or WebSocket message:send. */
record Conversation(String chatId) {

    record Sent(String messageId, long position) {
    }

    static Conversation group(Api api, TestUser owner, TestUser... members) {
        Api.Response response = api.post("/api/chats/group", owner.token(), Map.of("name", "delivery test",
                "participantIds", java.util.Arrays.stream(members).map(TestUser::id).toList()));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return new Conversation(response.body().path("chat").path("id").asString());
    }

    UUID id() {
        return UUID.fromString(chatId);
    }

    Sent sendRest(Api api, TestUser sender, String content) {
        Api.Response response = api.post("/api/chats/" + chatId + "/messages", sender.token(), Map.of("content", content));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return sent(response.body().path("message"));
    }

    /** message:send over the sender's WebSocket; acknowledged only once stored. */
    Sent sendWs(WsClient ws, String content) {
        JsonNode ack = ws.request("message:send", Map.of("chatId", chatId, "content", content,
                "clientMessageId", UUID.randomUUID().toString()));
        assertThat(ack.path("type").asString()).as(ack.toString()).isEqualTo("ack");
        return sent(ack.path("data").path("message"));
    }

    private static Sent sent(JsonNode message) {
        assertThat(message.path("position").asLong()).isPositive();
        return new Sent(message.path("id").asString(), message.path("position").asLong());
    }

    /** The next message:new the client receives (other durable events in between are skipped). */
    /** The next message someone wrote (system lines such as "carol was added" are passed over). */
    static JsonNode nextMessage(WsClient ws) {
        return ws.await(frame -> "message:new".equals(frame.path("type").asString())
                && !"system".equals(frame.path("data").path("contentType").asString("")), WsClient.WAIT);
    }
}
