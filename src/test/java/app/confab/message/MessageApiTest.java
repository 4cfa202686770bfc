package app.confab.message;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import app.confab.chat.ChatTestSupport;
import app.confab.support.Api;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class MessageApiTest extends ChatTestSupport {

    @Test
    void aSentMessageIsStoredServedAndStreamedInTheSameShape() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");
        String chat = world.group("Team", alice, bob).id();

        Api.Response sent = api.post("/api/chats/" + chat + "/messages", alice.token(), Map.of(
                "content", "Hello everyone!", "contentType", "text",
                "metadata", Map.of("formatting", Map.of("bold", List.of(List.of(0, 5))), "color", "red")));
        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
        JsonNode message = sent.body().path("message");
        assertThat(message.path("id").asString()).isNotBlank();
        assertThat(message.path("chatId").asString()).isEqualTo(chat);
        assertThat(message.path("senderId").asString()).isEqualTo(alice.id().toString());
        assertThat(message.path("senderUsername").asString()).isEqualTo(alice.username());
        assertThat(message.path("senderDisplayName").asString()).isEqualTo(alice.username());
        assertThat(message.path("content").asString()).isEqualTo("Hello everyone!");
        assertThat(message.path("contentType").asString()).isEqualTo("text");
        assertThat(message.path("metadata").toString()).isEqualTo("{\"formatting\":{\"bold\":[[0,5]]}}");
        assertThat(message.path("isEdited").asBoolean()).isFalse();
        assertThat(message.path("createdAt").asString()).endsWith("Z");
        assertThat(message.path("attachments").isArray()).isTrue();
        assertThat(message.path("reactions").isArray()).isTrue();
        assertThat(message.path("replyTo").isNull()).isTrue();

        Api.Response fetched = api.get("/api/messages/" + id(message), bob.token());
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body().path("message")).isEqualTo(message);
        assertThat(api.get("/api/chats/" + chat + "/messages", bob.token()).body().path("data").get(0)).isEqualTo(message);

        List<Seen> streamed = eventsSeenBy(bob.id(), chat, "message:new");
        assertThat(streamed).hasSize(1);
        assertThat(streamed.getFirst().data()).isEqualTo(message);
        assertThat(streamed.getFirst().position()).as("a message's position is its event's").isEqualTo(message.path("position").asLong());
    }

    @Test
    void messagesPageNewestFirstBackwardsForwardsAndAroundOneMessage() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");
        String chat = world.group("Team", alice, bob).id();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            sent.add(world.chat(chat).send(i % 2 == 0 ? alice : bob, "m" + i).id());
        }
        String deleted = world.chat(chat).send(alice, "gone").id();
        api.delete("/api/messages/" + deleted, alice.token());
        List<String> newestFirst = sent.reversed();

        Api.Response first = api.get("/api/chats/" + chat + "/messages?limit=4", bob.token());
        assertThat(contents(first)).containsExactly("m8", "m7", "m6", "m5");
        assertThat(first.body().path("hasMore").asBoolean()).isTrue();
        assertThat(first.body().path("hasNewer").asBoolean()).isFalse();
        Api.Response second = api.get("/api/chats/" + chat + "/messages?limit=4&cursor="
                + first.body().path("nextCursor").asString(), bob.token());
        assertThat(contents(second)).containsExactly("m4", "m3", "m2", "m1");
        assertThat(second.body().path("hasNewer").asBoolean()).isTrue();
        Api.Response third = api.get("/api/chats/" + chat + "/messages?limit=4&cursor="
                + second.body().path("nextCursor").asString(), bob.token());
        assertThat(contents(third)).containsExactly("m0");
        assertThat(third.body().path("hasMore").asBoolean()).isFalse();
        assertThat(third.body().path("nextCursor").isNull()).isTrue();

        // Forward from the oldest page, back to the newest.
        Api.Response forward = api.get("/api/chats/" + chat + "/messages?limit=3&after="
                + third.body().path("data").get(0).path("position").asLong(), bob.token());
        assertThat(contents(forward)).containsExactly("m3", "m2", "m1");
        assertThat(forward.body().path("hasNewer").asBoolean()).isTrue();
        assertThat(forward.body().path("hasMore").asBoolean()).isTrue();
        Api.Response forward2 = api.get("/api/chats/" + chat + "/messages?limit=10&after="
                + forward.body().path("newerCursor").asString(), bob.token());
        assertThat(contents(forward2)).containsExactly("m8", "m7", "m6", "m5", "m4");
        assertThat(forward2.body().path("hasNewer").asBoolean()).isFalse();

        // Around a message: it sits in the middle, with older and newer neighbours.
        Api.Response around = api.get("/api/chats/" + chat + "/messages?limit=5&around=" + sent.get(4), bob.token());
        assertThat(contents(around)).containsExactly("m6", "m5", "m4", "m3", "m2");
        assertThat(around.body().path("hasMore").asBoolean()).isTrue();
        assertThat(around.body().path("hasNewer").asBoolean()).isTrue();
        Api.Response aroundNewest = api.get("/api/chats/" + chat + "/messages?limit=5&around=" + sent.get(8), bob.token());
        assertThat(contents(aroundNewest)).containsExactly("m8", "m7", "m6");
        assertThat(aroundNewest.body().path("hasNewer").asBoolean()).isFalse();

        assertThat(api.get("/api/chats/" + chat + "/messages?around=" + deleted, bob.token()).status()).isEqualTo(404);
        assertThat(api.get("/api/chats/" + chat + "/messages?around=" + UUID.randomUUID(), bob.token()).status()).isEqualTo(404);
        assertThat(api.get("/api/chats/" + chat + "/messages?around=nope", bob.token()).status()).isEqualTo(400);
        assertThat(api.get("/api/chats/" + chat + "/messages?cursor=abc", bob.token()).status()).isEqualTo(400);
        assertThat(api.get("/api/chats/" + chat + "/messages?cursor=5&after=3", bob.token()).status()).isEqualTo(400);
        assertThat(api.get("/api/chats/" + chat + "/messages?limit=-1", bob.token()).status()).isEqualTo(400);
        assertThat(api.get("/api/chats/" + chat + "/messages?limit=500", bob.token()).body().path("data")).hasSize(9);
        assertThat(ids(api.get("/api/chats/" + chat + "/messages", bob.token()))).isEqualTo(newestFirst);
    }

    @Test
    void theDefaultPageIs50AndTheLargest100() {
        Users.TestUser alice = world.user("alice");
        String chat = world.group("Chatty", alice).id();
        for (int i = 0; i < 105; i++) {
            world.chat(chat).send(alice, "n" + i);
        }
        assertThat(api.get("/api/chats/" + chat + "/messages", alice.token()).body().path("data")).hasSize(50);
        Api.Response most = api.get("/api/chats/" + chat + "/messages?limit=1000", alice.token());
        assertThat(most.body().path("data")).hasSize(100);
        assertThat(most.body().path("hasMore").asBoolean()).isTrue();
    }

    @Test
    void sendingIsIdempotentOnTheClientMessageId() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");
        String chat = world.group("Team", alice, bob).id();
        String other = world.group("Other", alice).id();
        Map<String, Object> body = Map.of("content", "only once", "clientMessageId", "c-" + UUID.randomUUID());

        Api.Response first = api.post("/api/chats/" + chat + "/messages", alice.token(), body);
        Api.Response retry = api.post("/api/chats/" + chat + "/messages", alice.token(), body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body().path("message")).isEqualTo(first.body().path("message"));
        assertThat(first.body().path("message").path("clientMessageId").asString()).isEqualTo(body.get("clientMessageId"));
        assertThat(eventsSeenBy(bob.id(), chat, "message:new")).hasSize(1);
        assertThat(api.get("/api/chats/" + chat + "/messages", bob.token()).body().path("data")).hasSize(1);

        // The key is per sender: another user may use the same one.
        assertThat(api.post("/api/chats/" + chat + "/messages", bob.token(), body).status()).isEqualTo(201);
        assertThat(api.post("/api/chats/" + other + "/messages", alice.token(), body).status()).isEqualTo(409);
        assertThat(api.post("/api/chats/" + chat + "/messages", alice.token(),
                Map.of("content", "x", "clientMessageId", "k".repeat(101))).status()).isEqualTo(400);
    }

    @Test
    void concurrentRetriesOfOneSendStoreOneMessage() throws Exception {
        Users.TestUser alice = world.user("alice");
        String chat = world.group("Team", alice).id();
        Map<String, Object> body = Map.of("content", "racing", "clientMessageId", "race-" + UUID.randomUUID());
        List<Api.Response> responses;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(executor.submit(() -> api.post("/api/chats/" + chat + "/messages", alice.token(), body)));
            }
            responses = new ArrayList<>();
            for (Future<Api.Response> future : futures) {
                responses.add(future.get());
            }
        }
        assertThat(responses).extracting(Api.Response::status).containsOnly(200, 201).containsOnlyOnce(201);
        assertThat(responses).extracting(response -> id(response.body().path("message"))).containsOnly(
                id(responses.getFirst().body().path("message")));
        assertThat(eventsSeenBy(alice.id(), chat, "message:new")).hasSize(1);
    }

    @Test
    void concurrentSendersAreOrderedTheSameInHistoryAndInTheStream() throws Exception {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");
        Users.TestUser carol = world.user("carol");
        String chat = world.group("Busy", alice, bob, carol).id();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (Users.TestUser sender : List.of(alice, bob, carol)) {
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        world.chat(chat).send(sender, sender.username() + " " + i);
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        JsonNode history = api.get("/api/chats/" + chat + "/messages?limit=100", carol.token()).body().path("data");
        assertThat(history).hasSize(30);
        List<String> historyOldestFirst = new ArrayList<>();
        long previous = Long.MAX_VALUE;
        for (JsonNode message : history) {
            assertThat(message.path("position").asLong()).isLessThan(previous);
            previous = message.path("position").asLong();
            historyOldestFirst.addFirst(id(message));
        }
        List<String> streamed = eventsSeenBy(carol.id(), chat, "message:new").stream().map(event -> id(event.data())).toList();
        assertThat(streamed).isEqualTo(historyOldestFirst);
        for (Users.TestUser sender : List.of(alice, bob, carol)) {
            List<String> own = new ArrayList<>();
            history.forEach(message -> {
                if (message.path("senderId").asString().equals(sender.id().toString())) {
                    own.addFirst(message.path("content").asString());
                }
            });
            assertThat(own).as("each sender's messages keep their order").containsExactly(
                    java.util.stream.IntStream.range(0, 10).mapToObj(i -> sender.username() + " " + i).toArray(String[]::new));
        }
    }

    @Test
    void repliesPointToAMessageOfTheSameChat() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");
        String chat = world.group("Team", alice, bob).id();
        String other = world.group("Other", alice).id();
        JsonNode original = world.chat(chat).send(bob, "question <?>").json();
        JsonNode elsewhere = world.chat(other).send(alice, "elsewhere").json();

        Api.Response reply = api.post("/api/chats/" + chat + "/messages", alice.token(),
                Map.of("content", "answer", "replyToId", id(original)));
        assertThat(reply.status()).isEqualTo(201);
        JsonNode replyTo = reply.body().path("message").path("replyTo");
        assertThat(reply.body().path("message").path("replyToId").asString()).isEqualTo(id(original));
        assertThat(replyTo.path("id").asString()).isEqualTo(id(original));
        assertThat(replyTo.path("senderUsername").asString()).isEqualTo(bob.username());
        assertThat(replyTo.path("content").asString()).isEqualTo("question &lt;?&gt;");
        assertThat(replyTo.path("isDeleted").asBoolean()).isFalse();

        Api.Response crossChat = api.post("/api/chats/" + chat + "/messages", alice.token(),
                Map.of("content", "answer", "replyToId", id(elsewhere)));
        assertThat(crossChat.status()).isEqualTo(400);
        assertThat(crossChat.body().path("error").path("details").get(0).path("field").asString()).isEqualTo("replyToId");
        assertThat(api.post("/api/chats/" + chat + "/messages", alice.token(),
                Map.of("content", "answer", "replyToId", UUID.randomUUID())).status()).isEqualTo(400);

        api.delete("/api/messages/" + id(original), bob.token());
        JsonNode afterDelete = api.get("/api/messages/" + id(reply.body().path("message")), bob.token()).body().path("message");
        assertThat(afterDelete.path("replyTo").path("isDeleted").asBoolean()).isTrue();
        assertThat(afterDelete.path("replyTo").path("content").asString()).isEmpty();
    }

    @Test
    void onlyTheAuthorEditsAndEveryMemberHearsOfIt() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");
        Users.TestUser outsider = world.user("outsider");
        String chat = world.group("Team", alice, bob).id();
        String message = world.chat(chat).send(bob, "tpyo").id();

        Api.Response edited = api.put("/api/messages/" + message, bob.token(),
                Map.of("content", "typo <fixed>", "metadata", Map.of("formatting", Map.of("italic", List.of(List.of(0, 4))))));
        assertThat(edited.status()).as(edited.text()).isEqualTo(200);
        JsonNode view = edited.body().path("message");
        assertThat(view.path("content").asString()).isEqualTo("typo &lt;fixed&gt;");
        assertThat(view.path("isEdited").asBoolean()).isTrue();
        assertThat(view.path("editedAt").asString()).isNotBlank();
        assertThat(view.path("metadata").path("formatting").path("italic").toString()).isEqualTo("[[0,4]]");

        Seen event = eventsSeenBy(alice.id(), chat, "message:edited").getFirst();
        assertThat(event.data().path("messageId").asString()).isEqualTo(message);
        assertThat(event.data().path("chatId").asString()).isEqualTo(chat);
        assertThat(event.data().path("content").asString()).isEqualTo("typo &lt;fixed&gt;");
        assertThat(event.data().path("editedAt").asString()).isEqualTo(view.path("editedAt").asString());
        assertThat(event.data().path("metadata")).isEqualTo(view.path("metadata"));

        assertThat(api.put("/api/messages/" + message, alice.token(), Map.of("content", "hijack")).status()).isEqualTo(403);
        assertThat(api.put("/api/messages/" + message, outsider.token(), Map.of("content", "hijack")).status()).isEqualTo(404);
        assertThat(api.put("/api/messages/" + message, bob.token(), Map.of("content", " ")).status()).isEqualTo(400);
        api.delete("/api/messages/" + message, bob.token());
        assertThat(api.put("/api/messages/" + message, bob.token(), Map.of("content", "again")).status()).isEqualTo(404);
    }

    @Test
    void authorsAndGroupModeratorsDeleteMessagesWhichThenVanish() {
        Users.TestUser owner = world.user("owner");
        Users.TestUser admin = world.user("admin");
        Users.TestUser member = world.user("member");
        Users.TestUser other = world.user("other");
        String chat = world.group("Team", owner, admin, member, other).id();
        api.put("/api/chats/" + chat + "/participants/" + admin.id(), owner.token(), Map.of("role", "admin"));
        String own = world.chat(chat).send(member, "mine").id();
        String moderated = world.chat(chat).send(member, "spam").id();
        String byOwner = world.chat(chat).send(owner, "owner's").id();
        String kept = world.chat(chat).send(member, "kept").id();

        assertThat(api.delete("/api/messages/" + kept, other.token()).status()).as("other members cannot").isEqualTo(403);
        assertThat(api.delete("/api/messages/" + own, member.token()).status()).isEqualTo(204);
        assertThat(api.delete("/api/messages/" + moderated, admin.token()).status()).isEqualTo(204);
        assertThat(api.delete("/api/messages/" + byOwner, admin.token()).status()).isEqualTo(204);
        assertThat(api.delete("/api/messages/" + own, member.token()).status()).isEqualTo(404);

        assertThat(ids(api.get("/api/chats/" + chat + "/messages", other.token()))).containsExactly(kept);
        assertThat(api.get("/api/messages/" + own, member.token()).status()).isEqualTo(404);
        assertThat(eventsSeenBy(other.id(), chat, "message:deleted")).extracting(event -> event.data().path("messageId").asString())
                .containsExactly(own, moderated, byOwner);
        assertThat(eventsSeenBy(other.id(), chat, "message:deleted").getFirst().data().path("chatId").asString()).isEqualTo(chat);
        String stored = jdbc.sql("SELECT content FROM messages WHERE id = :id").param("id", UUID.fromString(own))
                .query(String.class).single();
        assertThat(stored).as("the text is gone from the database too").isEmpty();

        // In a direct chat there are no moderators: only the author deletes.
        String direct = world.direct(owner, member).id();
        String directMessage = world.chat(direct).send(member, "direct").id();
        assertThat(api.delete("/api/messages/" + directMessage, owner.token()).status()).isEqualTo(403);
    }

    @Test
    void reactionsAreEmojiGroupedPerMessageAndRemovableOnlyByTheirAuthor() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");
        Users.TestUser carol = world.user("carol");
        String chat = world.group("Team", alice, bob, carol).id();
        String message = world.chat(chat).send(alice, "react to me").id();
        String path = "/api/messages/" + message + "/reactions";

        Api.Response thumbs = api.post(path, bob.token(), Map.of("emoji", "👍"));
        assertThat(thumbs.status()).as(thumbs.text()).isEqualTo(201);
        JsonNode reaction = thumbs.body().path("reaction");
        assertThat(reaction.path("emoji").asString()).isEqualTo("👍");
        assertThat(reaction.path("userId").asString()).isEqualTo(bob.id().toString());
        assertThat(reaction.path("username").asString()).isEqualTo(bob.username());
        assertThat(reaction.path("messageId").asString()).isEqualTo(message);

        Api.Response twice = api.post(path, bob.token(), Map.of("emoji", "👍"));
        assertThat(twice.status()).isEqualTo(200);
        assertThat(id(twice.body().path("reaction"))).isEqualTo(id(reaction));
        assertThat(api.post(path, carol.token(), Map.of("emoji", "👍")).status()).isEqualTo(201);
        assertThat(api.post(path, carol.token(), Map.of("emoji", "👨‍👩‍👧‍👦")).status()).isEqualTo(201);
        assertThat(api.post(path, alice.token(), Map.of("emoji", "🇳🇱")).status()).isEqualTo(201);
        assertThat(api.post(path, alice.token(), Map.of("emoji", "👍🏽")).status()).isEqualTo(201);

        for (String bad : List.of("lol", "", " ", "<script>", "👍 nice", "1", "👍".repeat(20))) {
            Api.Response rejected = api.post(path, bob.token(), Map.of("emoji", bad));
            assertThat(rejected.status()).as("emoji %s", bad).isEqualTo(400);
            assertThat(rejected.body().path("error").path("details").get(0).path("field").asString()).isEqualTo("emoji");
        }

        JsonNode reactions = api.get("/api/messages/" + message, alice.token()).body().path("message").path("reactions");
        assertThat(reactions).hasSize(4);
        JsonNode group = reactions.get(0);
        assertThat(group.path("emoji").asString()).isEqualTo("👍");
        assertThat(group.path("count").asInt()).isEqualTo(2);
        assertThat(List.of(group.path("users").get(0).asString(), group.path("users").get(1).asString()))
                .containsExactly(bob.id().toString(), carol.id().toString());
        assertThat(api.get("/api/chats/" + chat + "/messages", carol.token()).body().path("data").get(0).path("reactions"))
                .isEqualTo(reactions);

        Seen added = eventsSeenBy(carol.id(), chat, "reaction:added").getFirst();
        assertThat(added.data().path("messageId").asString()).isEqualTo(message);
        assertThat(added.data().path("chatId").asString()).isEqualTo(chat);
        assertThat(added.data().path("reaction").path("id").asString()).isEqualTo(id(reaction));
        assertThat(added.data().path("reaction").path("emoji").asString()).isEqualTo("👍");
        assertThat(added.data().path("reaction").path("username").asString()).isEqualTo(bob.username());

        assertThat(api.delete(path + "/" + id(reaction), carol.token()).status()).as("not carol's").isEqualTo(403);
        assertThat(api.delete(path + "/" + UUID.randomUUID(), bob.token()).status()).isEqualTo(404);
        String otherMessage = world.chat(chat).send(alice, "another").id();
        assertThat(api.delete("/api/messages/" + otherMessage + "/reactions/" + id(reaction), bob.token()).status())
                .as("reaction of another message").isEqualTo(404);
        assertThat(api.delete(path + "/" + id(reaction), bob.token()).status()).isEqualTo(204);
        assertThat(api.delete(path + "/" + id(reaction), bob.token()).status()).isEqualTo(404);

        Seen removed = eventsSeenBy(alice.id(), chat, "reaction:removed").getFirst();
        assertThat(removed.data().path("reactionId").asString()).isEqualTo(id(reaction));
        assertThat(removed.data().path("emoji").asString()).isEqualTo("👍");
        assertThat(removed.data().path("userId").asString()).isEqualTo(bob.id().toString());
        assertThat(removed.data().path("messageId").asString()).isEqualTo(message);
        assertThat(api.get("/api/messages/" + message, alice.token()).body().path("message").path("reactions").get(0)
                .path("count").asInt()).isEqualTo(1);

        api.delete("/api/messages/" + message, alice.token());
        assertThat(api.post(path, bob.token(), Map.of("emoji", "👍")).status()).as("deleted message").isEqualTo(404);
    }

    @Test
    void readCursorOnlyMovesForwardAndUnreadCountsFollowIt() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");
        String chat = world.group("Team", alice, bob).id();
        String m1 = world.chat(chat).send(bob, "1").id();
        String m2 = world.chat(chat).send(bob, "2").id();
        world.chat(chat).send(alice, "mine");
        String m3 = world.chat(chat).send(bob, "3").id();
        String m4 = world.chat(chat).send(bob, "4").id();
        assertThat(unread(alice, chat)).isEqualTo(4);

        Api.Response read = api.post("/api/chats/" + chat + "/read", alice.token(), Map.of("messageId", m2));
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.body().path("unreadCount").asLong()).isEqualTo(2);
        assertThat(read.body().path("messageId").asString()).isEqualTo(m2);
        assertThat(unread(alice, chat)).isEqualTo(2);

        Api.Response backwards = api.post("/api/chats/" + chat + "/read", alice.token(), Map.of("messageId", m1));
        assertThat(backwards.status()).isEqualTo(200);
        assertThat(backwards.body().path("messageId").asString()).as("never moves back").isEqualTo(m2);
        assertThat(backwards.body().path("unreadCount").asLong()).isEqualTo(2);

        api.delete("/api/messages/" + m4, bob.token());
        assertThat(unread(alice, chat)).as("deleted messages are not unread").isEqualTo(1);

        List<Seen> reads = eventsSeenBy(bob.id(), chat, "message:read");
        assertThat(reads).hasSize(1);
        JsonNode data = reads.getFirst().data();
        assertThat(data.path("chatId").asString()).isEqualTo(chat);
        assertThat(data.path("messageId").asString()).isEqualTo(m2);
        assertThat(data.path("userId").asString()).isEqualTo(alice.id().toString());
        assertThat(data.path("readAt").asString()).isNotBlank();

        // Receipts: bob sees how far alice has read.
        JsonNode participants = api.get("/api/chats/" + chat, bob.token()).body().path("chat").path("participants");
        JsonNode aliceState = participants.get(0);
        assertThat(aliceState.path("userId").asString()).isEqualTo(alice.id().toString());
        assertThat(aliceState.path("lastReadMessageId").asString()).isEqualTo(m2);
        assertThat(aliceState.path("lastDeliveredMessageId").asString()).as("read implies delivered").isEqualTo(m2);
        assertThat(participants.get(1).path("lastReadMessageId").isNull()).isTrue();

        assertThat(api.post("/api/chats/" + chat + "/read", alice.token(), Map.of("messageId", m3)).body()
                .path("unreadCount").asLong()).isZero();
        String elsewhere = world.group("Other", alice).send(alice, "x").id();
        assertThat(api.post("/api/chats/" + chat + "/read", alice.token(), Map.of("messageId", elsewhere)).status()).isEqualTo(404);
        assertThat(api.post("/api/chats/" + chat + "/read", alice.token(), Map.of()).status()).isEqualTo(400);
    }

    @Test
    void contentIsValidatedAndFormattingRangesBoundsChecked() {
        Users.TestUser alice = world.user("alice");
        String chat = world.group("Team", alice).id();
        String path = "/api/chats/" + chat + "/messages";

        assertThat(api.post(path, alice.token(), Map.of("content", "x".repeat(10_000))).status()).isEqualTo(201);
        assertThat(api.post(path, alice.token(), Map.of("content", "😀".repeat(10_000))).status())
                .as("characters, not UTF-16 units").isEqualTo(201);
        Api.Response tooLong = api.post(path, alice.token(), Map.of("content", "x".repeat(10_001)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body().path("error").path("details").get(0).path("field").asString()).isEqualTo("content");
        assertThat(api.post(path, alice.token(), Map.of("content", "  \n ")).status()).isEqualTo(400);
        assertThat(api.post(path, alice.token(), Map.of()).status()).isEqualTo(400);
        assertThat(api.post(path, alice.token(), Map.of("content", Map.of("a", 1))).status()).isEqualTo(400);
        assertThat(api.post(path, alice.token(), Map.of("content", "x", "contentType", "video")).status()).isEqualTo(400);
        assertThat(api.post(path, alice.token(), Map.of("content", "x", "contentType", "image")).status()).isEqualTo(400);
        assertThat(api.post(path, alice.token(), Map.of("content", "x", "attachmentIds", List.of(UUID.randomUUID()))).status())
                .as("unknown attachment").isEqualTo(400);
        assertThat(api.raw("POST", path, alice.token(), "application/json", "{\"content\":").status()).isEqualTo(400);

        Map<String, Object> several = new HashMap<>();
        several.put("content", "");
        several.put("metadata", Map.of("formatting", Map.of("bold", List.of(List.of(0, 50)), "italic", "all")));
        Api.Response manyErrors = api.post(path, alice.token(), several);
        assertThat(manyErrors.status()).isEqualTo(400);
        assertThat(manyErrors.body().path("error").path("details").findValuesAsString("field"))
                .containsExactlyInAnyOrder("content", "metadata.formatting.bold[0]", "metadata.formatting.italic");

        for (Object ranges : List.of(List.of(List.of(3, 3)), List.of(List.of(-1, 2)), List.of(List.of(0, 6)),
                List.of(List.of(0)), List.of(List.of("0", "1")), List.of(List.of(0.5, 2)))) {
            Api.Response bad = api.post(path, alice.token(),
                    Map.of("content", "hello", "metadata", Map.of("formatting", Map.of("bold", ranges))));
            assertThat(bad.status()).as("ranges %s", ranges).isEqualTo(400);
        }
        assertThat(api.post(path, alice.token(), Map.of("content", "hello", "metadata", "bold")).status()).isEqualTo(400);

        Api.Response kept = api.post(path, alice.token(), Map.of("content", "hello world", "metadata",
                Map.of("formatting", Map.of("bold", List.of(List.of(0, 5)), "italic", List.of(List.of(6, 11)),
                        "underline", List.of(List.of(0, 1))), "onclick", "alert(1)", "html", "<b>x</b>")));
        assertThat(kept.status()).isEqualTo(201);
        assertThat(kept.body().path("message").path("metadata").toString())
                .isEqualTo("{\"formatting\":{\"bold\":[[0,5]],\"italic\":[[6,11]]}}");

        Api.Response controls = api.post(path, alice.token(), Map.of("content", "a\u0000b\u0007c\nd"));
        assertThat(controls.status()).isEqualTo(201);
        assertThat(controls.body().path("message").path("content").asString()).isEqualTo("abc\nd");
    }

    @Test
    void scriptAndMarkupNeverComeBackAsMarkup() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser bob = world.user("bob");
        String chat = world.group("<img src=x onerror=alert(1)>", alice, bob).id();
        List<String> attacks = List.of("<script>alert('x')</script>", "<img src=x onerror=alert(1)>",
                "\"><svg onload=alert(1)>", "**<b>bold</b>** & *it*");
        List<String> escaped = List.of("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
                "&lt;img src=x onerror=alert(1)&gt;", "&quot;&gt;&lt;svg onload=alert(1)&gt;",
                "**&lt;b&gt;bold&lt;/b&gt;** &amp; *it*");
        for (int i = 0; i < attacks.size(); i++) {
            JsonNode sent = world.chat(chat).send(alice, attacks.get(i)).json();
            assertThat(sent.path("content").asString()).isEqualTo(escaped.get(i));
        }
        String edited = world.chat(chat).send(alice, "fine").id();
        api.put("/api/messages/" + edited, alice.token(), Map.of("content", "<script>evil()</script>"));

        List<String> everything = new ArrayList<>();
        everything.add(api.get("/api/chats/" + chat + "/messages", bob.token()).text());
        everything.add(api.get("/api/chats", bob.token()).text());
        everything.add(api.get("/api/chats/" + chat, bob.token()).text());
        everything.add(api.get("/api/messages/" + edited, bob.token()).text());
        eventsSeenBy(bob.id(), chat).forEach(event -> everything.add(event.data().toString()));
        for (String text : everything) {
            assertThat(text).doesNotContain("<script").doesNotContain("<img").doesNotContain("<svg").doesNotContain("<b>");
        }
        JsonNode chatView = api.get("/api/chats/" + chat, bob.token()).body().path("chat");
        assertThat(chatView.path("name").asString()).isEqualTo("&lt;img src=x onerror=alert(1)&gt;");
    }

    @Test
    void nonMembersGetNotFoundFromEveryMessageEndpointAndNoData() {
        Users.TestUser alice = world.user("alice");
        Users.TestUser outsider = world.user("outsider");
        String chat = world.group("Private", alice).id();
        JsonNode message = world.chat(chat).send(alice, "secret").json();
        String reaction = id(api.post("/api/messages/" + id(message) + "/reactions", alice.token(), Map.of("emoji", "🔒"))
                .body().path("reaction"));

        List<Api.Response> responses = List.of(
                api.get("/api/chats/" + chat + "/messages", outsider.token()),
                api.get("/api/chats/" + chat + "/messages?around=" + id(message), outsider.token()),
                api.post("/api/chats/" + chat + "/messages", outsider.token(), Map.of("content", "hi")),
                api.post("/api/chats/" + chat + "/read", outsider.token(), Map.of("messageId", id(message))),
                api.get("/api/messages/" + id(message), outsider.token()),
                api.put("/api/messages/" + id(message), outsider.token(), Map.of("content", "x")),
                api.delete("/api/messages/" + id(message), outsider.token()),
                api.post("/api/messages/" + id(message) + "/reactions", outsider.token(), Map.of("emoji", "👍")),
                api.delete("/api/messages/" + id(message) + "/reactions/" + reaction, outsider.token()));
        for (Api.Response response : responses) {
            assertThat(response.status()).as(response.text()).isEqualTo(404);
            assertThat(response.errorCode()).isEqualTo("NOT_FOUND");
            assertThat(response.text()).doesNotContain("secret").doesNotContain(alice.username());
        }
        assertThat(api.get("/api/messages/" + id(message), alice.token()).body().path("message").path("content").asString())
                .isEqualTo("secret");
        assertThat(api.get("/api/messages/" + id(message), null).status()).isEqualTo(401);
    }

    private static List<String> contents(Api.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        List<String> contents = new ArrayList<>();
        response.body().path("data").forEach(message -> contents.add(message.path("content").asString()));
        return contents;
    }

    private static List<String> ids(Api.Response response) {
        List<String> ids = new ArrayList<>();
        response.body().path("data").forEach(message -> ids.add(id(message)));
        return ids;
    }

    private long unread(Users.TestUser user, String chat) {
        return api.get("/api/chats/" + chat, user.token()).body().path("chat").path("unreadCount").asLong();
    }
}
