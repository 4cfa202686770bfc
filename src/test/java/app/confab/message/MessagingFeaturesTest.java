package app.confab.message;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.confab.chat.ChatTestSupport;
import app.confab.support.Api;
import app.confab.support.Users;
import app.confab.support.World;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mentions, system messages and threads (issue 16 items 2, 6, 8) through the real REST API, the
 * WebSocket and the long-poll fallback.
 */
class MessagingFeaturesTest extends ChatTestSupport {

    // ---- mentions ------------------------------------------------------------------------------

    @Test
    void mentionsAreParsedAgainstMembersStoredAsIdsCountedAndStreamed() {
        Users.TestUser alice = world.user("men_a");
        Users.TestUser bob = world.user("men_b");
        Users.TestUser carol = world.user("men_c");
        Users.TestUser outsider = world.user("men_x");
        World.Chat chat = world.group("Mentions", alice, bob, carol);

        try (WsClient bobWs = world.socket(bob)) {
            JsonNode sent = chat.send(alice, "hi @" + bob.username().toUpperCase() + " and @" + outsider.username()
                    + ", mail x@" + carol.username() + ".com, `@" + carol.username() + "` in code").json();
            assertThat(uuids(sent.path("mentions"))).as("only members, not in code or e-mail")
                    .containsExactly(bob.id().toString());
            assertThat(sent.path("mentionsEveryone").asBoolean()).isFalse();
            JsonNode streamed = bobWs.await(frame -> frame.path("type").asString().equals("message:new")
                    && frame.path("data").path("id").asString().equals(id(sent)), WsClient.WAIT);
            assertThat(streamed.path("data").path("mentions")).isEqualTo(sent.path("mentions"));

            // A display-name change keeps the mention: it is an id.
            assertThat(api.put("/api/users/me", bob.token(), Map.of("displayName", "Robert")).status()).isEqualTo(200);
            assertThat(uuids(api.get("/api/messages/" + id(sent), carol.token()).body().path("message").path("mentions")))
                    .containsExactly(bob.id().toString());

            assertThat(chatSummary(bob, chat.id()).path("mentionCount").asLong()).isEqualTo(1);
            assertThat(chatSummary(bob, chat.id()).path("unreadCount").asLong()).isEqualTo(1);
            assertThat(chatSummary(carol, chat.id()).path("mentionCount").asLong()).isZero();

            // Editing re-parses: the mention moves to carol, and message:edited says so.
            Api.Response edited = api.put("/api/messages/" + id(sent), alice.token(),
                    Map.of("content", "now @" + carol.username()));
            assertThat(edited.status()).as(edited.text()).isEqualTo(200);
            JsonNode editEvent = bobWs.awaitType("message:edited");
            assertThat(uuids(editEvent.path("data").path("mentions"))).containsExactly(carol.id().toString());
            assertThat(chatSummary(bob, chat.id()).path("mentionCount").asLong()).isZero();
            assertThat(chatSummary(carol, chat.id()).path("mentionCount").asLong()).isEqualTo(1);
            // The stored message:new (replay) shows the edited mentions too.
            assertThat(uuids(eventsSeenBy(bob.id(), chat.id(), "message:new").getLast().data().path("mentions")))
                    .containsExactly(carol.id().toString());
        }

        // mentions:me in search
        JsonNode found = search(carol, "mentions:me");
        assertThat(found.path("results")).hasSize(1);
        assertThat(search(bob, "mentions:me").path("results")).isEmpty();
        assertThat(api.get("/api/messages/search?q=mentions:you", bob.token()).status()).isEqualTo(400);

        // Reading clears the count.
        String last = id(eventsSeenBy(carol.id(), chat.id(), "message:new").getLast().data());
        assertThat(api.post("/api/chats/" + chat.id() + "/read", carol.token(), Map.of("messageId", last)).status()).isEqualTo(200);
        assertThat(chatSummary(carol, chat.id()).path("mentionCount").asLong()).isZero();
    }

    @Test
    void everyoneMentionsWorkInGroupsOnlyAndAdminsMayRestrictThem() {
        Users.TestUser alice = world.user("all_a");
        Users.TestUser bob = world.user("all_b");
        Users.TestUser carol = world.user("all_c");
        World.Chat chat = world.group("Everyone", alice, bob, carol);

        assertThat(chat.send(bob, "@here lunch?").path("mentionsEveryone").asBoolean()).isTrue();
        assertThat(chatSummary(carol, chat.id()).path("mentionCount").asLong()).isEqualTo(1);
        assertThat(chatSummary(carol, chat.id()).path("everyoneMentions").asString()).isEqualTo("all");

        Api.Response bad = api.put("/api/chats/" + chat.id(), alice.token(), Map.of("everyoneMentions", "nobody"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(api.put("/api/chats/" + chat.id(), bob.token(), Map.of("everyoneMentions", "admins")).status())
                .as("members cannot change it").isEqualTo(403);
        Api.Response restricted = api.put("/api/chats/" + chat.id(), alice.token(), Map.of("everyoneMentions", "admins"));
        assertThat(restricted.status()).as(restricted.text()).isEqualTo(200);
        assertThat(restricted.body().path("chat").path("everyoneMentions").asString()).isEqualTo("admins");
        JsonNode updated = eventsSeenBy(bob.id(), chat.id(), "chat:updated").getLast().data();
        assertThat(updated.path("updates").path("everyoneMentions").asString()).isEqualTo("admins");

        assertThat(chat.send(bob, "@all again").path("mentionsEveryone").asBoolean())
                .as("a member's @all is plain text once restricted").isFalse();
        assertThat(chat.send(alice, "@all from the owner").path("mentionsEveryone").asBoolean()).isTrue();

        World.Chat direct = world.direct(alice, bob);
        assertThat(direct.send(alice, "@all in a direct chat").path("mentionsEveryone").asBoolean()).isFalse();
        assertThat(uuids(direct.send(alice, "hey @" + bob.username()).path("mentions")))
                .containsExactly(bob.id().toString());
        assertThat(chatSummary(bob, direct.id()).path("mentionCount").asLong()).isEqualTo(1);
    }

    // ---- system messages -----------------------------------------------------------------------

    @Test
    void membershipChangesAndRenamesWriteSystemMessagesEveryMemberSees() {
        Users.TestUser alice = world.user("sys_a");
        Users.TestUser bob = world.user("sys_b");
        Users.TestUser carol = world.user("sys_c");
        World.Chat chat = world.group("Before", alice, bob);
        String cursor = api.get("/api/events", bob.token()).body().path("cursor").asString();

        assertThat(api.put("/api/chats/" + chat.id(), alice.token(), Map.of("name", "After", "description", "About")).status())
                .isEqualTo(200);
        assertThat(api.post("/api/chats/" + chat.id() + "/participants", alice.token(), Map.of("userIds", List.of(carol.id())))
                .status()).isIn(200, 201);
        assertThat(api.delete("/api/chats/" + chat.id() + "/participants/" + carol.id(), alice.token()).status()).isEqualTo(204);
        assertThat(api.post("/api/chats/" + chat.id() + "/leave", bob.token(), Map.of()).status()).isIn(200, 204);

        // Long-poll: bob sees the rename, description, add and remove lines as message:new.
        Api.Response polled = api.get("/api/events?cursor=" + cursor + "&timeout=1", bob.token());
        assertThat(polled.status()).isEqualTo(200);
        List<JsonNode> systemFrames = stream(polled.body().path("events"))
                .filter(frame -> frame.path("type").asString().equals("message:new")
                        && frame.path("data").path("contentType").asString().equals("system"))
                .toList();
        assertThat(systemFrames).extracting(frame -> frame.path("data").path("system").path("action").asString())
                .containsExactly("chat_renamed", "description_changed", "member_added", "member_removed", "member_left");
        JsonNode renamed = systemFrames.getFirst().path("data");
        assertThat(renamed.path("system").path("name").asString()).isEqualTo("After");
        assertThat(renamed.path("system").path("actorId").asString()).isEqualTo(alice.id().toString());
        assertThat(renamed.path("content").asString()).isEmpty();
        JsonNode added = systemFrames.get(2).path("data");
        assertThat(uuids(added.path("system").path("targetIds"))).containsExactly(carol.id().toString());

        // The same history for whoever reads it, in the timeline; not unread, not editable, not searchable.
        Api.Response history = api.get("/api/chats/" + chat.id() + "/messages", alice.token());
        assertThat(stream(history.body().path("data")).filter(m -> m.path("contentType").asString().equals("system")))
                .hasSize(5);
        assertThat(chatSummary(alice, chat.id()).path("unreadCount").asLong()).as("system messages are not unread").isZero();
        assertThat(api.put("/api/messages/" + id(renamed), alice.token(), Map.of("content", "forged")).status())
                .isEqualTo(403);
        assertThat(search(alice, "from:" + alice.username()).path("results")).isEmpty();
        assertThat(search(alice, "After").path("results")).isEmpty();
        // Carol was a member while she was added: she saw that line, not the later ones.
        assertThat(eventsSeenBy(carol.id(), chat.id(), "message:new")).extracting(s -> s.data().path("system").path("action").asString())
                .contains("member_added").doesNotContain("member_left");
    }

    // ---- threads -------------------------------------------------------------------------------

    @Test
    void threadRepliesStreamToEveryMemberAndStayOutOfTheMainTimeline() {
        Users.TestUser alice = world.user("thr_a");
        Users.TestUser bob = world.user("thr_b");
        Users.TestUser carol = world.user("thr_c");
        Users.TestUser outsider = world.user("thr_x");
        World.Chat chat = world.group("Threads", alice, bob, carol);
        JsonNode root = chat.send(alice, "Root question").json();
        String carolCursor = api.get("/api/events", carol.token()).body().path("cursor").asString();

        JsonNode reply;
        try (WsClient bobWs = world.socket(bob);
             WsClient aliceWs = world.socket(alice)) {
            JsonNode ack = bobWs.request("message:send", Map.of("chatId", chat.id(), "content", "A threaded answer @"
                    + alice.username(), "threadRootId", id(root), "clientMessageId", "t-" + UUID.randomUUID()));
            assertThat(ack.path("type").asString()).as(ack.toString()).isEqualTo("ack");
            reply = ack.path("data").path("message");
            assertThat(reply.path("threadRootId").asString()).isEqualTo(id(root));
            JsonNode live = aliceWs.await(frame -> frame.path("type").asString().equals("message:new")
                    && frame.path("data").path("id").asString().equals(id(reply)), WsClient.WAIT);
            assertThat(live.path("data").path("threadRootId").asString()).isEqualTo(id(root));

            JsonNode bad = bobWs.request("message:send", Map.of("chatId", chat.id(), "content", "nested",
                    "threadRootId", id(reply)));
            assertThat(bad.path("type").asString()).isEqualTo("error");
            assertThat(bad.path("error").path("code").asString()).isEqualTo("VALIDATION_ERROR");
        }
        // Long-poll: carol gets the reply like any message.
        JsonNode polled = api.get("/api/events?cursor=" + carolCursor + "&timeout=1", carol.token()).body();
        assertThat(stream(polled.path("events")).filter(f -> f.path("data").path("id").asString().equals(id(reply))))
                .hasSize(1);

        // REST reply, then the main timeline: root only, with its thread summary.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content", "Second answer");
        body.put("threadRootId", id(root));
        Api.Response second = api.post("/api/chats/" + chat.id() + "/messages", carol.token(), body);
        assertThat(second.status()).as(second.text()).isEqualTo(201);
        JsonNode timeline = api.get("/api/chats/" + chat.id() + "/messages", alice.token()).body();
        assertThat(timeline.path("data")).hasSize(1);
        JsonNode thread = timeline.path("data").get(0).path("thread");
        assertThat(thread.path("replyCount").asInt()).isEqualTo(2);
        assertThat(uuids(thread.path("participants"))).containsExactly(bob.id().toString(), carol.id().toString());
        assertThat(thread.path("lastReplyAt").asString())
                .isEqualTo(second.body().path("message").path("createdAt").asString());
        assertThat(chatSummary(alice, chat.id()).path("unreadCount").asLong()).as("thread replies are not chat-unread").isZero();
        assertThat(chatSummary(alice, chat.id()).path("mentionCount").asLong()).as("but mentions in them count").isEqualTo(1);
        assertThat(chatSummary(alice, chat.id()).path("lastMessage").path("id").asString()).isEqualTo(id(root));

        // The thread, paged, with alice's own unread state.
        Api.Response page = api.get("/api/messages/" + id(root) + "/thread?limit=1", alice.token());
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        assertThat(page.body().path("root").path("id").asString()).isEqualTo(id(root));
        assertThat(page.body().path("data")).hasSize(1);
        assertThat(page.body().path("data").get(0).path("content").asString()).isEqualTo("Second answer");
        assertThat(page.body().path("hasMore").asBoolean()).isTrue();
        assertThat(page.body().path("unreadCount").asLong()).isEqualTo(2);
        JsonNode older = api.get("/api/messages/" + id(root) + "/thread?limit=1&cursor="
                + page.body().path("nextCursor").asString(), alice.token()).body();
        assertThat(older.path("data").get(0).path("id").asString()).isEqualTo(id(reply));
        assertThat(older.path("hasMore").asBoolean()).isFalse();
        Api.Response read = api.post("/api/messages/" + id(root) + "/thread/read", alice.token(),
                Map.of("messageId", id(second.body().path("message"))));
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.body().path("unreadCount").asLong()).isZero();
        assertThat(api.get("/api/messages/" + id(root) + "/thread", alice.token()).body().path("unreadCount").asLong())
                .isZero();
        assertThat(api.get("/api/messages/" + id(root) + "/thread", bob.token()).body().path("unreadCount").asLong())
                .as("bob's state is his own: carol's reply is unread for him").isEqualTo(1);

        // Errors: non-members get the same 404 as for a made-up id; a reply has no thread of its own.
        Api.Response notMember = api.get("/api/messages/" + id(root) + "/thread", outsider.token());
        Api.Response madeUp = api.get("/api/messages/" + UUID.randomUUID() + "/thread", outsider.token());
        assertThat(notMember.status()).isEqualTo(404);
        assertThat(madeUp.status()).isEqualTo(404);
        assertThat(notMember.body().path("error").path("message")).isEqualTo(madeUp.body().path("error").path("message"));
        assertThat(api.get("/api/messages/" + id(reply) + "/thread", alice.token()).status()).isEqualTo(400);
        assertThat(api.get("/api/messages/" + id(root) + "/thread?cursor=abc", alice.token()).status()).isEqualTo(400);
        Map<String, Object> elsewhere = new LinkedHashMap<>();
        elsewhere.put("content", "wrong chat");
        elsewhere.put("threadRootId", id(root));
        String other = world.group("Other", alice, bob).id();
        assertThat(api.post("/api/chats/" + other + "/messages", alice.token(), elsewhere).status()).isEqualTo(400);

        // Search finds thread replies; the reply itself says where it belongs (deep links).
        assertThat(search(alice, "threaded").path("results")).hasSize(1);
        assertThat(api.get("/api/messages/" + id(reply), carol.token()).body().path("message").path("threadRootId")
                .asString()).isEqualTo(id(root));
    }

    @Test
    void threadsWorkInDirectChats() {
        Users.TestUser alice = world.user("thd_a");
        Users.TestUser bob = world.user("thd_b");
        World.Chat chat = world.direct(alice, bob);
        JsonNode root = chat.send(alice, "direct root").json();
        Api.Response reply = api.post("/api/chats/" + chat.id() + "/messages", bob.token(),
                Map.of("content", "direct reply", "threadRootId", id(root)));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        assertThat(api.get("/api/messages/" + id(root) + "/thread", alice.token()).body().path("data")).hasSize(1);
        assertThat(api.get("/api/chats/" + chat.id() + "/messages", alice.token()).body().path("data").get(0)
                .path("thread").path("replyCount").asInt()).isEqualTo(1);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private JsonNode chatSummary(Users.TestUser user, String chatId) {
        Api.Response list = api.get("/api/chats", user.token());
        assertThat(list.status()).isEqualTo(200);
        return stream(list.body().path("data")).filter(chat -> chat.path("id").asString().equals(chatId))
                .findFirst().orElseThrow();
    }

    private JsonNode search(Users.TestUser user, String q) {
        Api.Response response = api.get("/api/messages/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8),
                user.token());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.body();
    }

    private static List<String> uuids(JsonNode array) {
        return stream(array).map(JsonNode::asString).toList();
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }
}
