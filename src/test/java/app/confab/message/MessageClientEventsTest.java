package app.confab.message;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import app.confab.chat.ChatTestSupport;
import app.confab.delivery.ClientEventHandler;
import app.confab.platform.ApiException;
import app.confab.platform.AuthenticatedUser;
import app.confab.platform.ErrorCode;
import app.confab.platform.RateLimiter;
import app.confab.support.Api;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The WebSocket client requests, called the way the transport calls them: as beans found by type.
 * (The frames on a real socket are tested with the transport.)
 */
class MessageClientEventsTest extends ChatTestSupport {

    @Autowired
    List<ClientEventHandler> handlers;

    @Autowired
    RateLimiter rateLimiter;

    @Test
    void everyMessageRequestHasAHandler() {
        assertThat(handlers).extracting(ClientEventHandler::type).contains("message:send", "message:edit",
                "message:delete", "message:read", "reaction:add", "reaction:remove");
    }

    @Test
    void socketRequestsShareTheRestRulesAndAnswerWithAckData() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");
        String chat = world.group("Team", alice, bob).id();
        String clientMessageId = "ws-" + UUID.randomUUID();

        JsonNode sent = ack(alice, "message:send", Map.of("chatId", chat, "content", "over the <socket>",
                "clientMessageId", clientMessageId, "metadata", Map.of("formatting", Map.of("bold", List.of(List.of(0, 4))))));
        JsonNode message = sent.path("message");
        assertThat(message.path("content").asString()).isEqualTo("over the &lt;socket&gt;");
        assertThat(message.path("metadata").path("formatting").path("bold").toString()).isEqualTo("[[0,4]]");
        assertThat(api.get("/api/messages/" + id(message), bob.token()).body().path("message")).isEqualTo(message);
        JsonNode retried = ack(alice, "message:send", Map.of("chatId", chat, "content", "over the <socket>",
                "clientMessageId", clientMessageId));
        assertThat(retried.path("message")).isEqualTo(message);
        assertThat(eventsSeenBy(bob.id(), chat, "message:new")).hasSize(1);

        JsonNode reply = ack(bob, "message:send", Map.of("chatId", chat, "content", "re", "replyToId", id(message)));
        assertThat(reply.path("message").path("replyTo").path("id").asString()).isEqualTo(id(message));

        JsonNode edited = ack(alice, "message:edit", Map.of("messageId", id(message), "content", "edited"));
        assertThat(edited.path("message").path("isEdited").asBoolean()).isTrue();
        assertThat(edited.path("message").path("content").asString()).isEqualTo("edited");

        JsonNode reaction = ack(bob, "reaction:add", Map.of("messageId", id(message), "emoji", "🎉")).path("reaction");
        assertThat(reaction.path("emoji").asString()).isEqualTo("🎉");
        assertThat(ack(bob, "reaction:add", Map.of("messageId", id(message), "emoji", "🎉")).path("reaction").path("id"))
                .isEqualTo(reaction.path("id"));
        assertThat(error(alice, "reaction:remove", Map.of("reactionId", id(reaction))).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(ack(bob, "reaction:remove", Map.of("reactionId", id(reaction))).path("reactionId").asString())
                .isEqualTo(id(reaction));

        JsonNode read = ack(bob, "message:read", Map.of("chatId", chat, "messageId", id(message)));
        assertThat(read.path("messageId").asString()).isEqualTo(id(message));
        assertThat(read.path("unreadCount").asLong()).isZero();
        assertThat(eventsSeenBy(alice.id(), chat, "message:read")).hasSize(1);

        assertThat(error(bob, "message:delete", Map.of("messageId", id(message))).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(ack(alice, "message:delete", Map.of("messageId", id(message))).path("messageId").asString())
                .isEqualTo(id(message));
        assertThat(eventsSeenBy(bob.id(), chat).getLast().type()).isEqualTo("message:deleted");
    }

    @Test
    void badSocketRequestsGetValidationErrorsAndOutsidersNotFound() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser outsider = world.user("outsider");
        String chat = world.group("Team", alice).id();
        String message = world.chat(chat).send(alice, "private").id();

        ApiException missingChat = error(alice, "message:send", Map.of("content", "x"));
        assertThat(missingChat.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(missingChat.details().getFirst().field()).isEqualTo("chatId");
        assertThat(error(alice, "message:send", Map.of("chatId", "nope", "content", "x")).details().getFirst().field())
                .isEqualTo("chatId");
        assertThat(error(alice, "message:send", Map.of("chatId", chat, "content", List.of("x"))).code())
                .isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(error(alice, "message:send", Map.of("chatId", chat, "content", "x".repeat(10_001))).code())
                .isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(error(alice, "message:edit", Map.of("content", "x")).details().getFirst().field()).isEqualTo("messageId");
        assertThat(error(alice, "reaction:add", Map.of("messageId", message, "emoji", "nope")).details().getFirst().field())
                .isEqualTo("emoji");
        assertThat(error(alice, "message:read", Map.of("messageId", message)).details().getFirst().field()).isEqualTo("chatId");
        assertThat(error(alice, "message:delete", Api.json().readTree("[1,2]")).code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(error(alice, "message:delete", null).code()).isEqualTo(ErrorCode.VALIDATION_ERROR);

        for (var request : List.of(
                Map.entry("message:send", Map.of("chatId", chat, "content", "hi")),
                Map.entry("message:edit", Map.of("messageId", message, "content", "hi")),
                Map.entry("message:delete", Map.of("messageId", message)),
                Map.entry("message:read", Map.of("chatId", chat, "messageId", message)),
                Map.entry("reaction:add", Map.of("messageId", message, "emoji", "👍")))) {
            ApiException refused = error(outsider, request.getKey(), request.getValue());
            assertThat(refused.code()).as(request.getKey()).isEqualTo(ErrorCode.NOT_FOUND);
        }
    }

    @Test
    void sendingMoreThanTheLimitPerSecondIsRefusedWithRetryAfterOnEveryPath() {
        Users.TestUser alice = world.user("alice");
        String chat = world.group("Fast", alice).id();
        // With time standing still a drained bucket stays empty, whatever the machine's speed.
        clock.freeze();
        while (rateLimiter.tryAcquire(RateLimiter.Limit.MESSAGE, alice.id().toString()) == null) {
            // drain
        }

        Api.Response rest = api.post("/api/chats/" + chat + "/messages", alice.token(), Map.of("content", "too fast"));
        assertThat(rest.status()).isEqualTo(429);
        assertThat(rest.errorCode()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(Long.parseLong(rest.header("Retry-After"))).isPositive();

        ApiException socket = error(alice, "message:send", Map.of("chatId", chat, "content", "too fast"));
        assertThat(socket.code()).isEqualTo(ErrorCode.RATE_LIMIT_EXCEEDED);
        assertThat(socket.retryAfter()).isPositive();
        assertThat(api.get("/api/chats/" + chat + "/messages", alice.token()).body().path("data")).isEmpty();

        clock.reset();
        rateLimiter.reset(RateLimiter.Limit.MESSAGE, alice.id().toString());
        assertThat(api.post("/api/chats/" + chat + "/messages", alice.token(), Map.of("content", "calm")).status()).isEqualTo(201);
    }

    private JsonNode ack(Users.TestUser user, String type, Object data) {
        Object result = handler(type).handle(new AuthenticatedUser(user.id(), UUID.randomUUID()), tree(data));
        return Api.json().readTree(Api.json().writeValueAsString(result));
    }

    private ApiException error(Users.TestUser user, String type, Object data) {
        ClientEventHandler handler = handler(type);
        AuthenticatedUser caller = new AuthenticatedUser(user.id(), UUID.randomUUID());
        JsonNode tree = tree(data);
        assertThatThrownBy(() -> handler.handle(caller, tree)).isInstanceOf(ApiException.class);
        try {
            handler.handle(caller, tree);
            throw new AssertionError("unreachable");
        } catch (ApiException e) {
            return e;
        }
    }

    private static JsonNode tree(Object data) {
        return data == null ? null : data instanceof JsonNode node ? node : Api.json().valueToTree(data);
    }

    private ClientEventHandler handler(String type) {
        return handlers.stream().filter(handler -> handler.type().equals(type)).findFirst().orElseThrow();
    }
}
