package app.confab.support;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import app.confab.support.Users.TestUser;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixture builder of the tests: people, chats, messages and sockets, all made through the
 * real REST API and WebSocket of one server, so a test's setup goes through the same rules as a
 * user's. Every step asserts its own success (a setup that fails says so where it failed).
 *
 * <pre>{@code
 * TestUser alice = world.user("alice"), bob = world.user("bob");
 * World.Chat chat = world.group("Team", alice, bob);
 * try (WsClient bobWs = world.socket(bob)) {
 *     World.Message sent = chat.send(alice, "hello");
 *     assertThat(World.nextMessage(bobWs).path("data").path("id").asString()).isEqualTo(sent.id());
 * }
 * }</pre>
 */
public final class World {

    private final Api api;
    private final Users users;

    public World(Api api) {
        this.api = api;
        this.users = new Users(api);
    }

    public Api api() {
        return api;
    }

    // ---- people ----------------------------------------------------------------------------------

    /** A user registered and signed in through the API, with a unique name starting with {@code prefix}. */
    public TestUser user(String prefix) {
        return users.register(prefix);
    }

    // ---- chats -----------------------------------------------------------------------------------

    /** The direct chat of two users (created by {@code from}, or the existing one). */
    public Chat direct(TestUser from, TestUser to) {
        Api.Response response = api.post("/api/chats/direct", from.token(), Map.of("userId", to.id()));
        assertThat(response.status()).as(response.text()).isIn(200, 201);
        return new Chat(this, response.body().path("chat"));
    }

    /** A group named {@code name}, owned by {@code owner}, with {@code members} in it. */
    public Chat group(String name, TestUser owner, TestUser... members) {
        return group(name, owner, Arrays.stream(members).map(TestUser::id).toList());
    }

    public Chat group(String name, TestUser owner, List<UUID> memberIds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("participantIds", memberIds);
        Api.Response response = api.post("/api/chats/group", owner.token(), body);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return new Chat(this, response.body().path("chat"));
    }

    /** A chat known only by its id (made earlier, or by another part of the test). */
    public Chat chat(String chatId) {
        return new Chat(this, Api.json().createObjectNode().put("id", chatId));
    }

    // ---- sockets ---------------------------------------------------------------------------------

    /** The user's WebSocket, authenticated and past {@code ready}. */
    public WsClient socket(TestUser user) {
        return WsClient.connectReady(api.baseUrl(), user.token(), null);
    }

    /** The user's WebSocket resuming after {@code cursor}, past {@code ready}. */
    public WsClient socket(TestUser user, String cursor) {
        return WsClient.connectReady(api.baseUrl(), user.token(), cursor);
    }

    // ---- reading -----------------------------------------------------------------------------------

    /**
     * The next message someone wrote (a {@code message:new} frame): the lines the server writes
     * itself (system lines such as "carol was added", call log entries) are passed over.
     */
    public static JsonNode nextMessage(WsClient ws) {
        return ws.await(frame -> "message:new".equals(frame.path("type").asString()) && !serverAuthored(frame.path("data")),
                WsClient.WAIT);
    }

    /** Whether a message was written by the server, not a person: a system line or a call log entry. */
    public static boolean serverAuthored(JsonNode message) {
        // Call log entries are system lines too (action call_ended).
        return "system".equals(message.path("contentType").asString(""));
    }

    /** A chat as the server returned it, with the steps a test takes in it. */
    public record Chat(World world, JsonNode json) {

        public String id() {
            return json.path("id").asString();
        }

        public UUID uuid() {
            return UUID.fromString(id());
        }

        /** Sends over REST to this world's server. */
        public Message send(TestUser sender, String content) {
            return sendVia(world.api, sender, content);
        }

        /** Sends over REST to the given server (another node of a {@link Cluster}). */
        public Message sendVia(Api api, TestUser sender, String content) {
            Api.Response response = api.post("/api/chats/" + id() + "/messages", sender.token(), Map.of("content", content));
            assertThat(response.status()).as(response.text()).isEqualTo(201);
            return new Message(response.body().path("message"));
        }

        /** message:send over the sender's WebSocket; acknowledged only once stored. */
        public Message send(WsClient ws, String content) {
            JsonNode ack = ws.request("message:send", Map.of("chatId", id(), "content", content,
                    "clientMessageId", UUID.randomUUID().toString()));
            assertThat(ack.path("type").asString()).as(ack.toString()).isEqualTo("ack");
            return new Message(ack.path("data").path("message"));
        }

        /** {@code count} messages over REST, "prefix 0", "prefix 1", ... */
        public List<Message> sendMany(TestUser sender, String prefix, int count) {
            return java.util.stream.IntStream.range(0, count).mapToObj(i -> send(sender, prefix + " " + i)).toList();
        }

        /** {@code by} adds the users to this group. */
        public Chat add(TestUser by, TestUser... users) {
            Api.Response response = world.api.post("/api/chats/" + id() + "/participants", by.token(),
                    Map.of("userIds", Arrays.stream(users).map(TestUser::id).toList()));
            assertThat(response.status()).as(response.text()).isIn(200, 201);
            return this;
        }
    }

    /** A stored message as the server returned it. */
    public record Message(JsonNode json) {

        public Message {
            assertThat(json.path("position").asLong()).as(json.toString()).isPositive();
        }

        public String id() {
            return json.path("id").asString();
        }

        public UUID uuid() {
            return UUID.fromString(id());
        }

        public long position() {
            return json.path("position").asLong();
        }

        public JsonNode path(String field) {
            return json.path(field);
        }
    }
}
