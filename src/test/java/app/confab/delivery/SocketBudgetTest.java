package app.confab.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import app.confab.support.Cluster;
import app.confab.support.ServerNode;
import app.confab.support.Users.TestUser;
import app.confab.support.World;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12 item 4 and issue 15's dead connections, with the shipped budgets (scale 1): two nodes on
 * one database and one real Redis. Node A pings after 1 s of silence and gives up after 3 s, so a
 * connection that stops answering is found quickly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SocketBudgetTest {

    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);

    private static Cluster cluster;
    private static ServerNode nodeA;
    private static ServerNode nodeB;

    @BeforeAll
    static void startNodes() {
        cluster = Cluster.withRedis();
        nodeA = cluster.node("a", Map.of(
                "confab.request-limits.scale", "1",
                "confab.delivery.ping-interval", "1s",
                "confab.delivery.idle-timeout", IDLE_TIMEOUT.toSeconds() + "s"));
        nodeB = cluster.node("b", Map.of("confab.request-limits.scale", "1"));
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aTypingFloodReachesTheOtherMemberAtMostOncePerTwoSeconds() {
        TestUser alice = nodeA.users().register("sb_type_a");
        TestUser bob = nodeA.users().register("sb_type_b");
        World.Chat chat = nodeA.world().group("delivery test", alice, bob);
        try (WsClient aliceWs = WsClient.connectReady(nodeA.baseUrl(), alice.token(), null);
             WsClient bobWs = WsClient.connectReady(nodeB.baseUrl(), bob.token(), null)) {
            long started = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                ids.add(aliceWs.sendRequest("typing:start", Map.of("chatId", chat.id())));
            }
            Replies replies = Replies.of(aliceWs, ids);
            // A typing:start sent last always gets through eventually: the flood's echo settles
            // in a quiet period (an upper bound on frames that must NOT come cannot be awaited).
            quietPeriod(500);
            double seconds = (System.nanoTime() - started) / 1e9;
            long forwarded = bobWs.received().stream().filter(f -> "typing:start".equals(f.path("type").asString())).count();
            assertThat(replies.limited()).isPositive();
            assertThat(replies.acked()).isPositive();
            assertThat(forwarded).as("typing:start frames bob got in %.1f s", seconds)
                    .isBetween(1L, 1L + (long) (seconds / 2));
        }
    }

    @Test
    void reactionAddRemovePairsAreLimitedAndRefusedOnesWriteNothing() {
        TestUser alice = nodeA.users().register("sb_react_a");
        TestUser bob = nodeA.users().register("sb_react_b");
        World.Chat chat = nodeA.world().group("delivery test", alice, bob);
        String messageId = chat.sendVia(nodeA.api(), alice, "react to me").id();
        try (WsClient aliceWs = WsClient.connectReady(nodeA.baseUrl(), alice.token(), null);
             WsClient bobWs = WsClient.connectReady(nodeA.baseUrl(), bob.token(), null)) {
            long started = System.nanoTime();
            int written = 0;
            int limited = 0;
            // Events the acknowledged requests wrote: an add of the reaction a refused remove left
            // standing is acknowledged ("already there") but writes nothing.
            int events = 0;
            String standing = null;
            for (int i = 0; i < 500; i++) {
                JsonNode added = bobWs.request("reaction:add", Map.of("messageId", messageId, "emoji", "👍"));
                if (!"ack".equals(added.path("type").asString())) {
                    assertThat(added.path("error").path("code").asString()).as(added.toString()).isEqualTo("RATE_LIMIT_EXCEEDED");
                    limited++;
                    continue;
                }
                written++;
                String reactionId = added.path("data").path("reaction").path("id").asString();
                if (!reactionId.equals(standing)) {
                    events++;
                }
                JsonNode removed = bobWs.request("reaction:remove", Map.of("reactionId", reactionId));
                if ("ack".equals(removed.path("type").asString())) {
                    written++;
                    events++;
                    standing = null;
                } else {
                    assertThat(removed.path("error").path("code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
                    limited++;
                    standing = reactionId;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            // Each of the two types: a burst of 10, then 10 a second.
            assertThat(limited).isPositive();
            assertThat(written).as("reaction writes in %.1f s", seconds).isLessThanOrEqualTo(2 * (10 + (int) Math.ceil(seconds * 10)));
            // Every durable reaction event alice gets is one that was acknowledged: refused ones wrote nothing.
            int expected = events;
            await().atMost(WsClient.WAIT).untilAsserted(() -> assertThat(
                    aliceWs.received().stream().filter(f -> f.path("type").asString().startsWith("reaction:")).count())
                    .isEqualTo(expected));
        }
    }

    @Test
    void twoNodesShareAUsersBudget() {
        TestUser alice = nodeA.users().register("sb_shared");
        try (WsClient onA = WsClient.connectReady(nodeA.baseUrl(), alice.token(), null);
             WsClient onB = WsClient.connectReady(nodeB.baseUrl(), alice.token(), null)) {
            // message:read: 20 per user and 20 per connection each second. Invalid data still spends budget.
            Map<String, Object> bogus = Map.of("chatId", UUID.randomUUID().toString(), "messageId", UUID.randomUUID().toString());
            List<String> fromA = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                fromA.add(onA.sendRequest("message:read", bogus));
            }
            for (String id : fromA) {
                onA.awaitReply(id);
            }
            List<String> fromB = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                fromB.add(onB.sendRequest("message:read", bogus));
            }
            long limitedOnB = fromB.stream().map(onB::awaitReply)
                    .filter(reply -> "RATE_LIMIT_EXCEEDED".equals(reply.path("error").path("code").asString()))
                    .count();
            // Alone, node B's connection had budget for all ten.
            assertThat(limitedOnB).isPositive();
        }
    }

    @Test
    void aMessageSentDuringASilentDropIsNotReportedDelivered() {
        TestUser alice = nodeA.users().register("sb_drop_a");
        TestUser bob = nodeA.users().register("sb_drop_b");
        World.Chat chat = nodeA.world().group("delivery test", alice, bob);
        try (WsClient aliceWs = WsClient.connectReady(nodeA.baseUrl(), alice.token(), null);
             WsClient bobWs = WsClient.connectReady(nodeA.baseUrl(), bob.token(), null)) {
            // Positive control: while bob answers, his receipt comes.
            String first = chat.send(aliceWs, "before the drop").id();
            aliceWs.await(f -> "message:delivered".equals(f.path("type").asString())
                    && first.equals(f.path("data").path("messageId").asString()), WsClient.WAIT);
            String cursor = World.nextMessage(bobWs).path("cursor").asString();

            // Bob's network goes silent: his client reads nothing more and answers no ping.
            bobWs.pause();
            bobWs.sendRequest("ping", Map.of()); // its pong is the last frame bob's client reads
            quietPeriod(200); // the ping reaches the server before alice sends; nothing to observe on a paused client
            String during = chat.send(aliceWs, "during the drop").id();
            // The server gives up on bob after the idle timeout; by then a receipt would long have come.
            // A receipt that must NOT come cannot be awaited: the whole window passes.
            quietPeriod(IDLE_TIMEOUT.toMillis() + 1_500);
            assertThat(aliceWs.received()).noneMatch(f -> "message:delivered".equals(f.path("type").asString())
                    && during.equals(f.path("data").path("messageId").asString()));

            // Bob comes back and catches up: now it is delivered.
            try (WsClient back = WsClient.connectReady(nodeA.baseUrl(), bob.token(), cursor)) {
                assertThat(World.nextMessage(back).path("data").path("id").asString()).isEqualTo(during);
                aliceWs.await(f -> "message:delivered".equals(f.path("type").asString())
                        && during.equals(f.path("data").path("messageId").asString()), WsClient.WAIT);
            }
        }
    }

    /** Last: Redis goes away, and budgets fall back to each node's own; no request fails for it. */
    @Test
    @Order(Integer.MAX_VALUE)
    void withRedisDownRequestsAreStillAnsweredAndLimitedLocally() {
        TestUser alice = nodeA.users().register("sb_noredis_a");
        TestUser bob = nodeA.users().register("sb_noredis_b");
        World.Chat chat = nodeA.world().group("delivery test", alice, bob);
        try (WsClient aliceWs = WsClient.connectReady(nodeA.baseUrl(), alice.token(), null)) {
            cluster.redis().stop();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ids.add(aliceWs.sendRequest("typing:start", Map.of("chatId", chat.id())));
            }
            Replies replies = Replies.of(aliceWs, ids);
            assertThat(replies.acked()).isPositive();
            assertThat(replies.limited()).isPositive();
        }
    }

    /** The acks and RATE_LIMIT_EXCEEDED errors answering the requests sent with these ids. */
    private record Replies(int acked, int limited) {
        static Replies of(WsClient ws, List<String> ids) {
            int acked = 0;
            int limited = 0;
            for (String id : ids) {
                JsonNode reply = ws.awaitReply(id);
                if ("ack".equals(reply.path("type").asString())) {
                    acked++;
                } else {
                    assertThat(reply.path("error").path("code").asString()).as(reply.toString()).isEqualTo("RATE_LIMIT_EXCEEDED");
                    assertThat(reply.path("error").path("retryAfterMs").asLong()).as(reply.toString()).isPositive();
                    limited++;
                }
            }
            return new Replies(acked, limited);
        }
    }

    /**
     * Lets real time pass where a test asserts that something does NOT happen within a window (no
     * more frames, no receipt): there is no event to wait for, so Awaitility cannot replace it.
     */
    private static void quietPeriod(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
