package app.confab.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import app.confab.support.Api;
import app.confab.support.ServerNode;
import app.confab.support.Users.TestUser;
import app.confab.support.WsClient;
import app.confab.stream.EventStore;
import app.confab.stream.StreamCompaction;
import tools.jackson.databind.JsonNode;

/**
 * Stream compaction and {@code resync} (issue 12, item 2), over real WebSocket and long-poll. A
 * server of its own, on a database of its own: compaction drops a prefix of the whole stream,
 * which would reach into every other test's events on the shared one.
 */
class StreamCompactionTest {

    private static ServerNode.SharedDatabase database;
    private static ServerNode node;

    @BeforeAll
    static void start() {
        database = new ServerNode.SharedDatabase();
        node = ServerNode.start(database.url(), null, database.dataDir(), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
        database.close();
    }

    private record Sent(String id, long position) {
    }

    private static Sent send(TestUser from, String chatId, String content) {
        JsonNode message = ok(node.api().post("/api/chats/" + chatId + "/messages", from.token(), Map.of("content", content)))
                .path("message");
        return new Sent(message.path("id").asString(), message.path("position").asLong());
    }

    private static Instant createdAt(long position) {
        return node.bean(JdbcClient.class).sql("SELECT created_at FROM events WHERE position = :p").param("p", position)
                .query(java.sql.Timestamp.class).single().toInstant();
    }

    @Test
    void aCursorOlderThanTheRetainedStreamGetsResyncAndANewerOneItsCatchUp() {
        TestUser alice = node.users().register("cmp_a");
        TestUser bob = node.users().register("cmp_b");
        String chatId = ok(node.api().post("/api/chats/group", alice.token(),
                Map.of("name", "Compacted", "participantIds", List.of(bob.id())))).path("chat").path("id").asString();
        String oldCursor = ok(node.api().get("/api/events", bob.token())).path("cursor").asString();
        send(alice, chatId, "old one");
        Sent second = send(alice, chatId, "old two");
        Sent third = send(alice, chatId, "kept three");

        // Everything before the third message's event is "older than the retained age".
        long dropped = node.bean(StreamCompaction.class).compactOlderThan(createdAt(third.position()));
        EventStore store = node.bean(EventStore.class);
        assertThat(dropped).isGreaterThanOrEqualTo(2);
        assertThat(store.horizon()).isEqualTo(second.position());
        assertThat(node.bean(JdbcClient.class).sql("SELECT count(*) FROM events WHERE position <= :p")
                .param("p", second.position()).query(Long.class).single()).isZero();
        long head = store.currentPosition();

        // Socket: resync instead of the catch-up, then ready; nothing from the stream in between.
        try (WsClient ws = WsClient.connectWithHeader(node.baseUrl(), bob.token(), oldCursor)) {
            JsonNode first = ws.next();
            assertThat(first.path("type").asString()).isEqualTo("resync");
            assertThat(first.path("data").path("cursor").asString()).isEqualTo(Long.toString(head));
            JsonNode ready = ws.next();
            assertThat(ready.path("type").asString()).isEqualTo("ready");
            assertThat(ready.path("data").path("cursor").asString()).isEqualTo(Long.toString(head));
        }
        // Long-poll: one resync event and the current cursor.
        JsonNode polled = ok(node.api().get("/api/events?cursor=" + oldCursor + "&timeout=0", bob.token()));
        assertThat(polled.path("events").size()).isEqualTo(1);
        assertThat(polled.path("events").get(0).path("type").asString()).isEqualTo("resync");
        assertThat(polled.path("cursor").asString()).isEqualTo(Long.toString(head));

        // A cursor at the horizon loses nothing, so it is caught up as usual.
        try (WsClient ws = WsClient.connectWithHeader(node.baseUrl(), bob.token(), Long.toString(second.position()))) {
            JsonNode caughtUp = ws.next();
            assertThat(caughtUp.path("type").asString()).isEqualTo("message:new");
            assertThat(caughtUp.path("data").path("id").asString()).isEqualTo(third.id());
            assertThat(ws.awaitType("ready").path("data").path("cursor").asString()).isEqualTo(Long.toString(head));
            assertThat(ws.received()).noneMatch(frame -> frame.path("type").asString().equals("resync"));
        }
        JsonNode afterHorizon = ok(node.api().get("/api/events?cursor=" + second.position() + "&timeout=0", bob.token()));
        assertThat(afterHorizon.path("events").get(0).path("data").path("id").asString()).isEqualTo(third.id());

        // The messages themselves are kept: what the client reloads after resync.
        JsonNode history = ok(node.api().get("/api/chats/" + chatId + "/messages", bob.token()));
        assertThat(history.toString()).contains("old one", "old two", "kept three");
    }

    @Test
    void aWhollyCompactedStreamKeepsItsPositionAndGoesOn() {
        TestUser alice = node.users().register("cmp_all_a");
        TestUser bob = node.users().register("cmp_all_b");
        String chatId = ok(node.api().post("/api/chats/group", alice.token(),
                Map.of("name", "All gone", "participantIds", List.of(bob.id())))).path("chat").path("id").asString();
        Sent last = send(alice, chatId, "before the compaction");
        EventStore store = node.bean(EventStore.class);

        node.bean(StreamCompaction.class).compactOlderThan(Instant.now().plusSeconds(60));
        assertThat(store.horizon()).isEqualTo(last.position());
        assertThat(store.currentPosition()).as("the head never goes back").isEqualTo(last.position());

        String cursor = ok(node.api().get("/api/events", bob.token())).path("cursor").asString();
        assertThat(cursor).isEqualTo(Long.toString(last.position()));
        Sent next = send(alice, chatId, "after the compaction");
        assertThat(next.position()).isGreaterThan(last.position());
        JsonNode polled = ok(node.api().get("/api/events?cursor=" + cursor + "&timeout=5", bob.token()));
        assertThat(polled.path("events").get(0).path("type").asString()).isEqualTo("message:new");
        assertThat(polled.path("events").get(0).path("data").path("id").asString()).isEqualTo(next.id());
    }

    private static JsonNode ok(Api.Response response) {
        assertThat(response.status()).as(response.text()).isBetween(200, 299);
        return response.body();
    }
}
