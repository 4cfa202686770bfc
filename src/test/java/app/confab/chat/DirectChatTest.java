package app.confab.chat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class DirectChatTest extends ChatTestSupport {

    @Test
    void aPairHasOneDirectChatWhoeverAsksAndHowever() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");

        Api.Response first = api.post("/api/chats/direct", alice.token(), Map.of("userId", bob.id()));
        assertThat(first.status()).as(first.text()).isEqualTo(201);
        JsonNode chat = first.body().path("chat");
        assertThat(chat.path("type").asString()).isEqualTo("direct");
        assertThat(chat.path("ownerId").isNull()).isTrue();
        assertThat(chat.path("participantCount").asInt()).isEqualTo(2);
        assertThat(chat.path("participants").findValuesAsString("userId"))
                .containsExactlyInAnyOrder(alice.id().toString(), bob.id().toString());
        assertThat(chat.path("participants").get(0).path("role").asString()).isEqualTo("member");

        Api.Response again = api.post("/api/chats/direct", alice.token(), Map.of("userId", bob.id()));
        assertThat(again.status()).isEqualTo(200);
        assertThat(id(again.body().path("chat"))).isEqualTo(id(chat));

        Api.Response reverse = api.post("/api/chats/direct", bob.token(), Map.of("username", alice.username().toUpperCase()));
        assertThat(reverse.status()).isEqualTo(200);
        assertThat(id(reverse.body().path("chat"))).isEqualTo(id(chat));

        // Both members learn about the new chat from the stream, exactly once.
        assertThat(eventsSeenBy(bob.id(), id(chat), "chat:created")).hasSize(1)
                .first().satisfies(event -> {
                    assertThat(id(event.data())).isEqualTo(id(chat));
                    assertThat(event.data().path("participants")).hasSize(2);
                });
        assertThat(eventsSeenBy(alice.id(), id(chat), "chat:created")).hasSize(1);
    }

    @Test
    void directChatRequestsAreValidated() {
        Users.TestUser alice = world.user("alice");

        Api.Response self = api.post("/api/chats/direct", alice.token(), Map.of("userId", alice.id()));
        assertThat(self.status()).isEqualTo(400);
        assertThat(self.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(self.body().path("error").path("details").get(0).path("field").asString()).isEqualTo("userId");

        Api.Response nobody = api.post("/api/chats/direct", alice.token(), Map.of("username", "no_such_user_xyz"));
        assertThat(nobody.status()).isEqualTo(404);

        Api.Response empty = api.post("/api/chats/direct", alice.token(), Map.of());
        assertThat(empty.status()).isEqualTo(400);

        Api.Response badId = api.post("/api/chats/direct", alice.token(), Map.of("userId", "not-a-uuid"));
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.errorCode()).isEqualTo("VALIDATION_ERROR");

        Api.Response malformed = api.raw("POST", "/api/chats/direct", alice.token(), "application/json", "{\"userId\":");
        assertThat(malformed.status()).isEqualTo(400);

        assertThat(api.post("/api/chats/direct", null, Map.of("userId", alice.id())).status()).isEqualTo(401);
    }

    @Test
    void blockingEitherWayRefusesANewChatAndMessagesInAnExistingOne() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");
        Users.TestUser carol = world.user("carol");
        JsonNode existing = world.direct(alice, carol).json();

        chats.block(bob.id(), alice.id());
        Api.Response refused = api.post("/api/chats/direct", alice.token(), Map.of("userId", bob.id()));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(api.post("/api/chats/direct", bob.token(), Map.of("userId", alice.id())).status()).isEqualTo(403);

        chats.block(alice.id(), carol.id());
        Api.Response send = api.post("/api/chats/" + id(existing) + "/messages", carol.token(), Map.of("content", "hi"));
        assertThat(send.status()).isEqualTo(403);
        assertThat(api.post("/api/chats/direct", carol.token(), Map.of("userId", alice.id())).status()).isEqualTo(403);
    }

    @Test
    void eitherMemberDeletesADirectChatForBothAndCanThenStartAFreshOne() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");
        JsonNode chat = world.direct(alice, bob).json();
        world.chat(id(chat)).send(alice, "before");

        assertThat(api.post("/api/chats/" + id(chat) + "/leave", bob.token(), null).status()).isEqualTo(403);
        assertThat(api.delete("/api/chats/" + id(chat), bob.token()).status()).isEqualTo(204);
        assertThat(api.get("/api/chats/" + id(chat), alice.token()).status()).isEqualTo(404);
        assertThat(eventsSeenBy(alice.id(), id(chat), "chat:deleted")).hasSize(1);

        Api.Response fresh = api.post("/api/chats/direct", alice.token(), Map.of("userId", bob.id()));
        assertThat(fresh.status()).isEqualTo(201);
        assertThat(id(fresh.body().path("chat"))).isNotEqualTo(id(chat));
        assertThat(fresh.body().path("chat").path("lastMessage").isNull()).isTrue();
    }

    @Test
    void directChatsHaveNoRolesSettingsOrMembershipChanges() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");
        Users.TestUser carol = world.user("carol");
        String chat = world.direct(alice, bob).id();

        assertThat(api.put("/api/chats/" + chat, alice.token(), Map.of("name", "x")).status()).isEqualTo(403);
        assertThat(api.post("/api/chats/" + chat + "/participants", alice.token(), Map.of("userId", carol.id())).status())
                .isEqualTo(403);
        assertThat(api.delete("/api/chats/" + chat + "/participants/" + bob.id(), alice.token()).status()).isEqualTo(403);
        assertThat(api.put("/api/chats/" + chat + "/participants/" + bob.id(), alice.token(), Map.of("role", "admin")).status())
                .isEqualTo(403);
    }
}
