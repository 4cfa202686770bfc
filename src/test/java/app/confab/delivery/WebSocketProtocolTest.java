package app.confab.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.confab.support.Users.TestUser;
import app.confab.support.World;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebSocketProtocolTest extends DeliveryTest {

    @org.springframework.beans.factory.annotation.Autowired
    DeliveryRepository delivery;

    @Test
    void headerAuthSendsReadyWithUserAndCursor() {
        TestUser alice = users.register("ws_hdr");
        try (WsClient ws = WsClient.connectWithHeader(baseUrl(), alice.token(), null)) {
            JsonNode ready = ws.awaitType("ready");
            assertThat(ready.path("data").path("userId").asString()).isEqualTo(alice.id().toString());
            assertThat(Long.parseLong(ready.path("data").path("cursor").asString())).isGreaterThanOrEqualTo(0);
            assertThat(ready.has("cursor")).as("ready is not a durable event").isFalse();
        }
    }

    @Test
    void firstFrameAuthSendsReady() {
        TestUser alice = users.register("ws_frame");
        try (WsClient ws = WsClient.connectWithAuthFrame(baseUrl(), alice.token(), null)) {
            JsonNode ready = ws.awaitType("ready");
            assertThat(ready.path("data").path("userId").asString()).isEqualTo(alice.id().toString());
        }
    }

    @Test
    void wrongTokenInHeaderIsRefusedBeforeUpgrade() {
        assertThatThrownBy(() -> WsClient.connectWithHeader(baseUrl(), "not-a-token", null))
                .isInstanceOfSatisfying(WsClient.HandshakeRejected.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void plainHttpOnTheWebSocketPathGetsAnErrorInTheErrorFormat() {
        var response = api.get("/ws", null);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(api.post("/ws", null, java.util.Map.of()).errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void wrongTokenInAuthFrameGetsErrorAndClose() {
        try (WsClient ws = WsClient.connect(baseUrl())) {
            ws.send(Map.of("type", "auth", "id", "a1", "data", Map.of("token", "forged.token.value")));
            JsonNode error = ws.awaitType("error");
            assertThat(error.path("id").asString()).isEqualTo("a1");
            assertThat(error.path("error").path("code").asString()).isEqualTo("UNAUTHORIZED");
            assertThat(ws.awaitClose()).isEqualTo(4401);
        }
    }

    @Test
    void expiredTokenIsRefusedBothWays() {
        TestUser alice = users.register("ws_exp");
        clock.advance(Duration.ofMinutes(16));
        assertThatThrownBy(() -> WsClient.connectWithHeader(baseUrl(), alice.token(), null))
                .isInstanceOfSatisfying(WsClient.HandshakeRejected.class, e -> assertThat(e.status()).isEqualTo(401));
        try (WsClient ws = WsClient.connectWithAuthFrame(baseUrl(), alice.token(), null)) {
            JsonNode error = ws.awaitType("error");
            assertThat(error.path("error").path("code").asString()).isEqualTo("UNAUTHORIZED");
            assertThat(error.path("error").path("message").asString()).containsIgnoringCase("expired");
            assertThat(ws.awaitClose()).isEqualTo(4401);
        }
    }

    @Test
    void noAuthFrameWithinTheTimeoutGetsErrorAndClose() {
        try (WsClient ws = WsClient.connect(baseUrl())) {
            ws.send(Map.of("type", "ping"));
            assertThat(ws.awaitType("pong")).isNotNull();
            clock.advance(Duration.ofSeconds(11));
            JsonNode error = ws.awaitType("error");
            assertThat(error.path("error").path("code").asString()).isEqualTo("UNAUTHORIZED");
            assertThat(ws.awaitClose()).isEqualTo(4408);
        }
    }

    @Test
    void requestsBeforeAuthAreRefusedButTheConnectionCanStillAuthenticate() {
        TestUser alice = users.register("ws_late");
        try (WsClient ws = WsClient.connect(baseUrl())) {
            JsonNode error = ws.request("typing:start", Map.of("chatId", UUID.randomUUID().toString()));
            assertThat(error.path("type").asString()).isEqualTo("error");
            assertThat(error.path("error").path("code").asString()).isEqualTo("UNAUTHORIZED");
            ws.send(Map.of("type", "auth", "data", Map.of()));
            JsonNode missingToken = ws.awaitType("error");
            assertThat(missingToken.path("error").path("code").asString()).isEqualTo("VALIDATION_ERROR");
            ws.auth(alice.token(), null);
            assertThat(ws.awaitType("ready").path("data").path("userId").asString()).isEqualTo(alice.id().toString());
            JsonNode again = ws.request("auth", Map.of("token", alice.token()));
            assertThat(again.path("error").path("code").asString()).isEqualTo("VALIDATION_ERROR");
        }
    }

    @Test
    void catchUpSendsMissedEventsInOrderThenReadyThenLiveEvents() {
        TestUser alice = users.register("ws_cu_a");
        TestUser bob = users.register("ws_cu_b");
        World.Chat chat = world.group("test group", alice, bob);
        long before = events.currentPosition();
        List<World.Message> missed = chat.sendMany(alice, "missed", 3);
        try (WsClient ws = WsClient.connectWithAuthFrame(baseUrl(), bob.token(), Long.toString(before))) {
            for (World.Message sent : missed) {
                JsonNode event = ws.next();
                assertThat(event.path("type").asString()).isEqualTo("message:new");
                assertThat(event.path("cursor").asString()).isEqualTo(Long.toString(sent.position()));
                assertThat(event.path("data").path("id").asString()).isEqualTo(sent.id());
            }
            JsonNode ready = ws.next();
            assertThat(ready.path("type").asString()).isEqualTo("ready");
            assertThat(Long.parseLong(ready.path("data").path("cursor").asString()))
                    .isGreaterThanOrEqualTo(missed.getLast().position());

            World.Message live = chat.send(alice, "live");
            JsonNode event = ws.nextDurable();
            assertThat(event.path("cursor").asString()).isEqualTo(Long.toString(live.position()));
            assertThat(event.path("data").path("content").asString()).isEqualTo("live");
        }
    }

    @Test
    void cursorInTheUpgradeQueryWorksWithHeaderAuth() {
        TestUser alice = users.register("ws_q_a");
        TestUser bob = users.register("ws_q_b");
        World.Chat chat = world.group("test group", alice, bob);
        long before = events.currentPosition();
        World.Message missed = chat.send(alice, "missed");
        try (WsClient ws = WsClient.connectWithHeader(baseUrl(), bob.token(), Long.toString(before))) {
            assertThat(ws.next().path("cursor").asString()).isEqualTo(Long.toString(missed.position()));
            assertThat(ws.next().path("type").asString()).isEqualTo("ready");
        }
        assertThatThrownBy(() -> WsClient.connectWithHeader(baseUrl(), bob.token(), "abc"))
                .isInstanceOfSatisfying(WsClient.HandshakeRejected.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void badFramesGetErrorFramesAndTheConnectionStaysUsable() {
        TestUser alice = users.register("ws_bad");
        World.Chat chat = world.group("test group", alice, world.user("ws_bad_b"));
        try (WsClient ws = WsClient.connectReady(baseUrl(), alice.token(), null)) {
            ws.sendText("{not json");
            assertError(ws.awaitType("error"), "VALIDATION_ERROR");
            ws.sendText("[1,2,3]");
            assertError(ws.awaitType("error"), "VALIDATION_ERROR");
            ws.sendText("{\"type\":\"no:such-event\",\"id\":\"u1\",\"data\":{}}");
            JsonNode unknown = ws.awaitType("error");
            assertError(unknown, "VALIDATION_ERROR");
            assertThat(unknown.path("id").asString()).isEqualTo("u1");
            ws.sendText("{\"type\":\"typing:start\",\"data\":{\"chatId\":\"" + chat.id() + "\"}}");
            assertError(ws.awaitType("error"), "VALIDATION_ERROR");
            ws.sendText("{\"type\":42,\"id\":\"t1\"}");
            assertError(ws.awaitType("error"), "VALIDATION_ERROR");
            ws.sendText("{\"type\":\"typing:start\",\"id\":\"d1\",\"data\":\"chat\"}");
            JsonNode wrongData = ws.awaitType("error");
            assertError(wrongData, "VALIDATION_ERROR");
            assertThat(wrongData.path("id").asString()).isEqualTo("d1");
            ws.sendText("{\"type\":\"typing:start\",\"id\":\"c1\",\"data\":{\"chatId\":12}}");
            assertError(ws.awaitType("error"), "VALIDATION_ERROR");
            ws.sendText("{\"type\":\"typing:start\",\"id\":\"big\",\"data\":{\"chatId\":\"" + "x".repeat(200_000) + "\"}}");
            assertError(ws.awaitType("error"), "PAYLOAD_TOO_LARGE");
            ws.sendText("{\"type\":\"typing:start\",\"id\":\"huge\",\"data\":{\"chatId\":\"" + "y".repeat(3_000_000) + "\"}}");
            assertError(ws.awaitType("error"), "PAYLOAD_TOO_LARGE");
            ws.sendBinary(new byte[] {1, 2, 3});
            assertError(ws.awaitType("error"), "VALIDATION_ERROR");

            JsonNode ack = ws.request("typing:start", Map.of("chatId", chat.id()));
            assertThat(ack.path("type").asString()).isEqualTo("ack");
            assertThat(ack.path("data").path("chatId").asString()).isEqualTo(chat.id());
            assertThat(ws.isClosed()).isFalse();
        }
    }

    /**
     * A frame larger than every per-connection buffer (1 KiB read in parts, 2 KiB of UTF-8 written
     * as fragments: WebSocketConfig) crosses them intact both ways, multi-byte characters included.
     */
    @Test
    void aLongMultibyteMessageCrossesTheSmallConnectionBuffersIntact() {
        TestUser alice = users.register("ws_big_a");
        TestUser bob = users.register("ws_big_b");
        World.Chat chat = world.group("big frames", alice, bob);
        String content = "Grüße, 世界 — ".repeat(200);
        try (WsClient a = WsClient.connectReady(baseUrl(), alice.token(), null);
             WsClient b = WsClient.connectReady(baseUrl(), bob.token(), null)) {
            chat.send(a, content);
            JsonNode message = World.nextMessage(b);
            assertThat(message.path("data").path("content").asString()).isEqualTo(content);
        }
    }

    @Test
    void appLevelPingIsAnsweredWithPong() {
        TestUser alice = users.register("ws_ping");
        try (WsClient ws = WsClient.connectReady(baseUrl(), alice.token(), null)) {
            ws.send(Map.of("type", "ping", "id", "p1"));
            JsonNode pong = ws.awaitType("pong");
            assertThat(pong.path("id").asString()).isEqualTo("p1");
        }
    }

    @Test
    void serverPingsAQuietConnectionAndClosesOneThatStaysSilent() {
        TestUser alice = users.register("ws_hb");
        try (WsClient ws = WsClient.connectReady(baseUrl(), alice.token(), null)) {
            // Past the ping interval (4 s), short of the idle timeout (10 s).
            clock.advance(Duration.ofSeconds(5));
            awaitPing(ws);
            assertThat(ws.isClosed()).isFalse();
        }
        clock.reset();
        try (WsClient ws = WsClient.connectReady(baseUrl(), alice.token(), null)) {
            // Silent for more than the idle timeout (time jumps, so the client never gets to answer a ping).
            clock.advance(Duration.ofSeconds(11));
            assertThat(ws.awaitClose()).isEqualTo(4001);
        }
    }

    private static void awaitPing(WsClient ws) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ws.pings()).isPositive());
    }

    @Test
    void aNonMemberNeverReceivesAChatsEvents() {
        TestUser alice = users.register("ws_nm_a");
        TestUser bob = users.register("ws_nm_b");
        TestUser eve = users.register("ws_nm_e");
        World.Chat secret = world.group("test group", alice, bob);
        World.Chat open = world.group("test group", alice, eve);
        try (WsClient ws = WsClient.connectReady(baseUrl(), eve.token(), null)) {
            secret.send(alice, "secret");
            World.Message visible = open.send(alice, "hello eve");
            JsonNode first = ws.nextDurable();
            assertThat(first.path("cursor").asString()).isEqualTo(Long.toString(visible.position()));
            assertThat(first.toString()).doesNotContain("secret");
            JsonNode typing = ws.request("typing:start", Map.of("chatId", secret.id()));
            assertError(typing, "FORBIDDEN");
        }
        // Catch-up from before both messages shows only the visible one too.
        try (WsClient ws = WsClient.connectWithAuthFrame(baseUrl(), eve.token(), "0")) {
            JsonNode frame;
            while (!(frame = ws.next()).path("type").asString().equals("ready")) {
                assertThat(frame.path("data").path("chatId").asString()).isNotEqualTo(secret.id());
            }
        }
    }

    @Test
    void typingIsSentToOtherMembersAndExpiresByItself() {
        TestUser alice = users.register("ws_ty_a");
        TestUser bob = users.register("ws_ty_b");
        World.Chat chat = world.group("test group", alice, bob);
        try (WsClient a = WsClient.connectReady(baseUrl(), alice.token(), null);
             WsClient b = WsClient.connectReady(baseUrl(), bob.token(), null)) {
            assertThat(a.request("typing:start", Map.of("chatId", chat.id())).path("type").asString()).isEqualTo("ack");
            JsonNode start = b.awaitType("typing:start");
            assertThat(start.has("cursor")).isFalse();
            assertThat(start.path("data").path("chatId").asString()).isEqualTo(chat.id());
            assertThat(start.path("data").path("userId").asString()).isEqualTo(alice.id().toString());
            assertThat(start.path("data").path("username").asString()).isEqualTo(alice.username());

            clock.advance(Duration.ofSeconds(7));
            JsonNode stop = b.awaitType("typing:stop");
            assertThat(stop.path("data").path("userId").asString()).isEqualTo(alice.id().toString());
            assertThat(stop.path("data").path("chatId").asString()).isEqualTo(chat.id());

            a.request("typing:start", Map.of("chatId", chat.id()));
            b.awaitType("typing:start");
            a.request("typing:stop", Map.of("chatId", chat.id()));
            b.awaitType("typing:stop");
            assertThat(a.pending()).noneMatch(frame -> frame.path("type").asString().startsWith("typing"));

            assertError(a.request("typing:start", Map.of("chatId", "not-a-uuid")), "VALIDATION_ERROR");
            assertError(a.request("typing:start", Map.of()), "VALIDATION_ERROR");
        }
    }

    @Test
    void presenceGoesOnlineAndAfterTheGraceOfflineWithLastSeen() {
        TestUser alice = users.register("ws_pr_a");
        TestUser bob = users.register("ws_pr_b");
        world.group("test group", alice, bob);
        try (WsClient b = WsClient.connectReady(baseUrl(), bob.token(), null)) {
            WsClient a = WsClient.connectReady(baseUrl(), alice.token(), null);
            JsonNode online = awaitStatus(b, alice.id(), "online");
            assertThat(online.has("cursor")).isFalse();
            assertThat(status(alice.id())).isEqualTo("online");

            assertThat(a.request("presence:update", Map.of("status", "away")).path("type").asString()).isEqualTo("ack");
            awaitStatus(b, alice.id(), "away");
            assertError(a.request("presence:update", Map.of("status", "sleeping")), "VALIDATION_ERROR");
            a.request("presence:update", Map.of("status", "online"));
            awaitStatus(b, alice.id(), "online");

            a.close();
            clock.advance(Duration.ofSeconds(6));
            JsonNode offline = awaitStatus(b, alice.id(), "offline");
            assertThat(offline.path("data").path("lastSeen").isNull()).isFalse();
            assertThat(status(alice.id())).isEqualTo("offline");
            assertThat(jdbc.sql("SELECT last_seen IS NOT NULL FROM users WHERE id = :id").param("id", alice.id())
                    .query(Boolean.class).single()).isTrue();
        }
    }

    @Test
    void aReconnectWithinTheGraceDoesNotGoOffline() throws InterruptedException {
        TestUser alice = users.register("ws_gr_a");
        TestUser bob = users.register("ws_gr_b");
        world.group("test group", alice, bob);
        try (WsClient observer = WsClient.connectReady(baseUrl(), bob.token(), null)) {
            WsClient first = WsClient.connectReady(baseUrl(), alice.token(), null);
            awaitStatus(observer, alice.id(), "online");
            first.close();
            try (WsClient second = WsClient.connectReady(baseUrl(), alice.token(), null)) {
                clock.advance(Duration.ofSeconds(6));
                Thread.sleep(1_200); // two presence ticks past the grace period
                second.request("presence:update", Map.of("status", "away"));
                JsonNode next = observer.await(frame -> "user:status".equals(frame.path("type").asString()), WsClient.WAIT);
                assertThat(next.path("data").path("status").asString()).isEqualTo("away");
                assertThat(status(alice.id())).isEqualTo("away");
            }
        }
    }

    @Test
    void deliveredReceiptsMoveTheCursorAndReachTheSender() {
        TestUser alice = users.register("ws_dr_a");
        TestUser bob = users.register("ws_dr_b");
        World.Chat chat = world.group("test group", alice, bob);
        try (WsClient a = WsClient.connectReady(baseUrl(), alice.token(), null);
             WsClient b = WsClient.connectReady(baseUrl(), bob.token(), null)) {
            World.Message first = chat.send(alice, "one");
            World.Message second = chat.send(alice, "two");
            b.nextDurable();
            b.nextDurable();
            JsonNode receipt = a.await(frame -> "message:delivered".equals(frame.path("type").asString())
                    && second.id().equals(frame.path("data").path("messageId").asString()), WsClient.WAIT);
            assertThat(receipt.has("cursor")).isFalse();
            assertThat(receipt.path("data").path("chatId").asString()).isEqualTo(chat.id());
            assertThat(receipt.path("data").path("userId").asString()).isEqualTo(bob.id().toString());
            Map<String, Object> row = jdbc.sql("""
                    SELECT last_delivered_position, last_delivered_message_id, delivered_at
                    FROM chat_participants WHERE chat_id = :chat AND user_id = :user
                    """).param("chat", chat.uuid()).param("user", bob.id()).query().singleRow();
            assertThat(((Number) row.get("last_delivered_position")).longValue()).isEqualTo(second.position());
            assertThat(row.get("last_delivered_message_id")).isEqualTo(second.uuid());
            assertThat(row.get("delivered_at")).isNotNull();
            assertThat(first.position()).isLessThan(second.position());
            assertThat(b.pending()).noneMatch(frame -> "message:delivered".equals(frame.path("type").asString())
                    && bob.id().toString().equals(frame.path("data").path("userId").asString()));
        }
    }

    @Test
    void deliveredCursorsCommitWithoutWaitingForTheDiskAndOnlyThey() {
        String onConnections = jdbc.sql("SHOW synchronous_commit").query(String.class).single();
        assertThat(onConnections).isEqualTo("on");
        String[] seen = new String[2];
        transactions.execute(status -> {
            // The flush's own statement (joining this transaction, so its setting can be read back).
            delivery.advanceDelivered(List.of(), Instant.now());
            seen[0] = jdbc.sql("SHOW synchronous_commit").query(String.class).single();
            // SET LOCAL ends with its transaction: the pooled connection's next commit (a message's) waits again.
            jdbc.sql("SELECT 1").query().singleRow();
            return null;
        });
        transactions.execute(status -> {
            seen[1] = jdbc.sql("SHOW synchronous_commit").query(String.class).single();
            return null;
        });
        assertThat(seen).containsExactly("off", "on");
    }

    @Test
    void activeConnectionsAreAMetric() {
        TestUser alice = users.register("ws_metric");
        try (WsClient ws = WsClient.connectReady(baseUrl(), alice.token(), null)) {
            String metrics = api.get("/metrics", null).text();
            assertThat(metrics).containsPattern("(?m)^websocket_connections_active(\\{[^}]*\\})? [1-9]");
        }
    }

    private JsonNode awaitStatus(WsClient ws, UUID userId, String status) {
        return ws.await(frame -> "user:status".equals(frame.path("type").asString())
                && userId.toString().equals(frame.path("data").path("userId").asString())
                && status.equals(frame.path("data").path("status").asString()), WsClient.WAIT);
    }

    private String status(UUID userId) {
        return jdbc.sql("SELECT status FROM users WHERE id = :id").param("id", userId).query(String.class).single();
    }

    private static void assertError(JsonNode frame, String code) {
        assertThat(frame.path("type").asString()).as(frame.toString()).isEqualTo("error");
        assertThat(frame.path("error").path("code").asString()).as(frame.toString()).isEqualTo(code);
        assertThat(frame.path("error").path("message").asString()).isNotBlank();
    }
}
