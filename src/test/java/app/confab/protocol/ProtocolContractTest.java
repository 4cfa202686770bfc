package app.confab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import app.confab.stream.StreamCompaction;
import app.confab.support.Api;
import app.confab.support.ServerNode;
import app.confab.support.IntegrationTest;
import app.confab.support.Users.TestUser;
import app.confab.support.World;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The protocol contract, in the spirit of Zulip's {@code verify_action}: a real conversation over
 * real WebSockets and long-poll produces every server frame type; each captured frame must
 * validate against docs/protocol/events.schema.json, and every catalogued type must show up.
 * With {@code -Dconfab.refreshFixtures=true} the captured frames (one per type, the first seen)
 * are written to web/src/test/fixtures/captured-frames.json, which the web client's tests replay.
 */
class ProtocolContractTest extends IntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    static final Path FIXTURE = Path.of("web/src/test/fixtures/captured-frames.json");

    private final ProtocolSchemaCheck schema = new ProtocolSchemaCheck();

    @Test
    void aRealConversationProducesEveryFrameTypeAndEachMatchesTheSchema() throws Exception {
        TestUser alice = world.user("alice");
        TestUser bob = world.user("bob");
        TestUser carol = world.user("carol");
        List<JsonNode> captured = new ArrayList<>();

        try (WsClient aliceWs = world.socket(alice);
             WsClient bobWs = world.socket(bob)) {
            // Contacts: request, accept, remove, block, unblock.
            String bobContact = ok(api.post("/api/contacts", alice.token(), Map.of("username", bob.username())))
                    .path("contact").path("id").asString();
            bobWs.awaitType("contact:request");
            JsonNode incoming = ok(api.get("/api/contacts/pending", bob.token())).path("data").get(0);
            ok(api.put("/api/contacts/" + incoming.path("id").asString() + "/accept", bob.token(), Map.of()));
            aliceWs.awaitType("contact:accepted");
            ok(api.post("/api/contacts", alice.token(), Map.of("username", carol.username())));
            ok(api.delete("/api/contacts/" + carol.id(), alice.token()));
            aliceWs.awaitType("contact:removed");
            ok(api.post("/api/contacts/" + carol.id() + "/block", alice.token(), Map.of()));
            aliceWs.awaitType("contact:blocked");
            ok(api.delete("/api/contacts/" + carol.id() + "/block", alice.token()));
            aliceWs.awaitType("contact:unblocked");

            // Notification settings changed on one device reach the others.
            ok(api.put("/api/users/me/notifications", alice.token(), Map.of("defaultLevel", "mentions")));
            aliceWs.awaitType("notifications:updated");

            // A group: created, updated, member added and removed, and one who leaves.
            String chatId = world.group("Launch", alice, bob).id();
            bobWs.awaitType("chat:created");
            ok(api.put("/api/chats/" + chatId, alice.token(), Map.of("name", "Launch team", "description", "Ship it")));
            bobWs.awaitType("chat:updated");
            ok(api.post("/api/chats/" + chatId + "/participants", alice.token(), Map.of("userIds", List.of(carol.id()))));
            bobWs.awaitType("participant:joined");
            // Calls (a group call, so that one leaving does not end it): ring, decline, accept,
            // the WebRTC signalling, a hang-up, the end.
            try (WsClient carolWs = world.socket(carol)) {
                JsonNode invited = aliceWs.request("call:invite", Map.of("chatId", chatId, "video", true));
                String callId = invited.path("data").path("callId").asString();
                bobWs.awaitType("call:invite");
                carolWs.awaitType("call:invite");
                carolWs.request("call:decline", Map.of("callId", callId));
                aliceWs.awaitType("call:decline");
                bobWs.request("call:accept", Map.of("callId", callId));
                aliceWs.awaitType("call:accept");
                bobWs.request("call:offer", Map.of("callId", callId, "toUserId", alice.id(), "sdp", "v=0\r\n"));
                aliceWs.awaitType("call:offer");
                aliceWs.request("call:answer", Map.of("callId", callId, "toUserId", bob.id(), "sdp", "v=0\r\n"));
                bobWs.awaitType("call:answer");
                aliceWs.request("call:ice", Map.of("callId", callId, "toUserId", bob.id(), "candidate",
                        Map.of("candidate", "candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host", "sdpMid", "0",
                                "sdpMLineIndex", 0, "usernameFragment", "a1b2")));
                bobWs.awaitType("call:ice");
                carolWs.request("call:accept", Map.of("callId", callId));
                carolWs.request("call:hangup", Map.of("callId", callId));
                aliceWs.awaitType("call:hangup");
                aliceWs.request("call:hangup", Map.of("callId", callId));
                bobWs.awaitType("call:ended");
            }
            ok(api.delete("/api/chats/" + chatId + "/participants/" + carol.id(), alice.token()));
            bobWs.awaitType("participant:left");

            // Messages over the socket: send, deliver, edit, react, read, delete.
            JsonNode sent = aliceWs.request("message:send", Map.of("chatId", chatId, "content", "Hello **team**",
                    "clientMessageId", "c-1"));
            assertThat(sent.path("type").asString()).isEqualTo("ack");
            String messageId = sent.path("data").path("message").path("id").asString();
            bobWs.awaitType("message:new");
            // The receipt of this message, not of a call log line delivered just before it.
            aliceWs.await(frame -> "message:delivered".equals(frame.path("type").asString())
                    && messageId.equals(frame.path("data").path("messageId").asString()), WsClient.WAIT);
            assertThat(aliceWs.request("message:edit", Map.of("messageId", messageId, "content", "Hello **everyone**"))
                    .path("type").asString()).isEqualTo("ack");
            bobWs.awaitType("message:edited");
            JsonNode reaction = bobWs.request("reaction:add", Map.of("messageId", messageId, "emoji", "👍"));
            aliceWs.awaitType("reaction:added");
            bobWs.request("reaction:remove", Map.of("reactionId", reaction.path("data").path("reaction").path("id").asString()));
            aliceWs.awaitType("reaction:removed");
            bobWs.request("message:read", Map.of("chatId", chatId, "messageId", messageId));
            aliceWs.awaitType("message:read");

            // A link preview (an administrator turned them on; the test server is the one allowed address).
            TestUser admin = world.user("admin");
            jdbc.sql("UPDATE users SET role = 'admin' WHERE id = :id").param("id", admin.id()).update();
            try (app.confab.linkpreview.OpenGraphServer pages = new app.confab.linkpreview.OpenGraphServer()) {
                ok(api.put("/api/admin/settings", admin.token(), Map.of("linkPreviews", true)));
                aliceWs.request("message:send", Map.of("chatId", chatId, "content", "See " + pages.url("/page"),
                        "clientMessageId", "c-2"));
                bobWs.awaitType("message:preview");
            } finally {
                ok(api.put("/api/admin/settings", admin.token(), Map.of("linkPreviews", false)));
            }

            // Ephemeral: typing and presence.
            bobWs.request("typing:start", Map.of("chatId", chatId));
            aliceWs.awaitType("typing:start");
            bobWs.request("typing:stop", Map.of("chatId", chatId));
            aliceWs.awaitType("typing:stop");
            bobWs.request("presence:update", Map.of("status", "away"));
            aliceWs.awaitType("user:status");

            // Control frames: pong and an error.
            aliceWs.send(Map.of("type", "ping", "id", "p1"));
            aliceWs.awaitType("pong");
            assertThat(aliceWs.request("no:such", Map.of()).path("type").asString()).isEqualTo("error");

            assertThat(aliceWs.request("message:delete", Map.of("messageId", messageId)).path("type").asString())
                    .isEqualTo("ack");
            bobWs.awaitType("message:deleted");
            ok(api.post("/api/chats/" + chatId + "/leave", bob.token(), Map.of()));
            aliceWs.awaitType("participant:left");
            ok(api.delete("/api/chats/" + chatId, alice.token()));
            aliceWs.awaitType("chat:deleted");

            captured.addAll(aliceWs.received());
            captured.addAll(bobWs.received());
        }

        // The same events replayed: a WebSocket resuming from the start, and a long-poll catch-up.
        try (WsClient replay = WsClient.connectWithHeader(api.baseUrl(), alice.token(), "0")) {
            replay.awaitType("ready");
            captured.addAll(replay.received());
        }
        JsonNode polled = ok(api.get("/api/events?cursor=0&timeout=0", alice.token()));
        polled.path("events").forEach(captured::add);

        // resync: a cursor older than the retained stream, socket and long-poll. On a server and
        // database of its own, because compaction drops a prefix of the whole stream.
        try (ServerNode.SharedDatabase database = new ServerNode.SharedDatabase();
             ServerNode own = ServerNode.start(database.url(), null, database.dataDir(), Map.of())) {
            World ownWorld = own.world();
            TestUser dave = ownWorld.user("dave");
            TestUser erin = ownWorld.user("erin");
            ownWorld.group("Long ago", dave, erin);
            own.bean(StreamCompaction.class).compactOlderThan(Instant.now().plusSeconds(60));
            try (WsClient resumed = WsClient.connectWithHeader(own.baseUrl(), erin.token(), "0")) {
                resumed.awaitType("ready");
                assertThat(resumed.received().getFirst().path("type").asString()).isEqualTo("resync");
                captured.addAll(resumed.received());
            }
            ok(own.api().get("/api/events?cursor=0&timeout=0", erin.token())).path("events").forEach(captured::add);
        }

        Map<String, JsonNode> firstOfType = new LinkedHashMap<>();
        Set<String> serverAuthoredIds = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode frame : captured) {
            List<String> errors = schema.serverFrame(frame);
            if (!errors.isEmpty()) {
                problems.add(frame + " -> " + errors);
            }
            // The fixture's message:new is a message someone wrote (the web tests follow its edits and
            // reactions), not one of the system lines or call log entries the server wrote before it.
            JsonNode data = frame.path("data");
            String type = frame.path("type").asString();
            if (World.serverAuthored(data)) {
                serverAuthoredIds.add(data.path("id").asString());
                continue;
            }
            // Receipts of a server-authored line (the call:* frames name their log entry and stay),
            // and acks of other requests, are not the send the web tests follow.
            if (!type.startsWith("call:") && serverAuthoredIds.contains(data.path("messageId").asString(""))
                    || "ack".equals(type) && !data.has("message")) {
                continue;
            }
            firstOfType.putIfAbsent(type, frame);
        }
        assertThat(problems).as("frames that do not match the schema").isEmpty();
        assertThat(firstOfType.keySet()).as("frame types a real conversation produced")
                .containsAll(ProtocolSchema.frameTypes());

        if (Boolean.getBoolean("confab.refreshFixtures")) {
            ArrayNode fixture = Api.json().createArrayNode();
            ProtocolSchema.frameTypes().forEach(type -> fixture.add(firstOfType.get(type)));
            Files.createDirectories(FIXTURE.getParent());
            Files.writeString(FIXTURE, Api.json().writerWithDefaultPrettyPrinter().writeValueAsString(fixture) + "\n",
                    StandardCharsets.UTF_8);
        }
    }

    @Test
    void theCheckedInCapturedFramesStillMatchTheSchemaAndCoverEveryType() throws IOException {
        assertThat(FIXTURE).as("refresh with -Dconfab.refreshFixtures=true").exists();
        JsonNode frames = Api.json().readTree(Files.readString(FIXTURE, StandardCharsets.UTF_8));
        Set<String> types = new TreeSet<>();
        for (JsonNode frame : frames) {
            assertThat(schema.serverFrame(frame)).as(frame.toString()).isEmpty();
            types.add(frame.path("type").asString());
        }
        assertThat(types).as("refresh with -Dconfab.refreshFixtures=true").containsAll(ProtocolSchema.frameTypes());
    }

    @Test
    void everyTypeHasAnExampleInProtocolMdThatMatchesTheSchema() throws IOException {
        String doc = Files.readString(Path.of("docs/PROTOCOL.md"), StandardCharsets.UTF_8);
        Set<String> documented = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode frame : ProtocolExamples.jsonBlocks(doc, problems)) {
            String type = frame.path("type").asString();
            boolean request = ProtocolExamples.isRequest(frame);
            List<String> errors = request ? schema.clientRequest(frame) : schema.serverFrame(frame);
            if (!errors.isEmpty()) {
                problems.add(frame + " -> " + errors);
            } else if (!request) {
                documented.add(type);
            }
        }
        assertThat(problems).as("examples in docs/PROTOCOL.md that are not valid frames").isEmpty();
        assertThat(documented).as("types with a valid example in docs/PROTOCOL.md")
                .containsAll(ProtocolSchema.frameTypes());
    }

    @Test
    void theServerServesTheSchema() throws IOException {
        Api.Response response = api.get("/api/protocol/schema", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/schema+json");
        assertThat(response.text()).isEqualTo(Files.readString(ProtocolSchemaTest.SCHEMA_FILE, StandardCharsets.UTF_8));
    }

    private static JsonNode ok(Api.Response response) {
        assertThat(response.status()).as(response.text()).isBetween(200, 299);
        return response.body();
    }
}
