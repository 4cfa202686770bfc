package app.confab.delivery;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import app.confab.support.Api;
import app.confab.support.Cluster;
import app.confab.support.ServerNode;
import app.confab.support.Users.TestUser;
import app.confab.support.World;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault test 2 of issue 3: two server nodes (two Spring contexts in this JVM) on one database and
 * one real Redis. Users on different nodes chat in real time; a node that misses Redis traffic
 * still delivers from the database; a node stopped mid-stream loses its clients to the other node
 * and they miss nothing and see nothing twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeTest {

    private static Cluster cluster;
    private static ServerNode nodeA;
    private static ServerNode nodeB;

    @BeforeAll
    static void startNodes() {
        cluster = Cluster.withRedis();
        nodeA = cluster.node("a");
        nodeB = cluster.node("b");
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void readinessReportsRedis() {
        Api.Response ready = nodeA.api().get("/health/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("services").path("redis").asString()).isEqualTo("ok");
    }

    @Test
    @Order(2)
    void usersOnDifferentNodesChatInRealTime() {
        TestUser alice = nodeA.users().register("mn_a");
        TestUser bob = nodeB.users().register("mn_b");
        World.Chat chat = nodeA.world().group("delivery test", alice, bob);
        try (WsClient onB = WsClient.connectReady(nodeB.baseUrl(), bob.token(), null);
             WsClient onA = WsClient.connectReady(nodeA.baseUrl(), alice.token(), null)) {
            // Presence crosses nodes: bob (on B) hears that alice is online.
            awaitFrame(onB, "user:status", alice.id());

            World.Message fromA = chat.send(onA, "hello from node A");
            assertThat(World.nextMessage(onB).path("cursor").asString()).isEqualTo(Long.toString(fromA.position()));
            World.Message fromB = chat.send(onB, "hello from node B");
            JsonNode atA = onA.await(frame -> Long.toString(fromB.position()).equals(frame.path("cursor").asString()), WsClient.WAIT);
            assertThat(atA.path("data").path("content").asString()).isEqualTo("hello from node B");

            // Ephemeral events cross nodes too.
            onA.request("typing:start", Map.of("chatId", chat.id()));
            assertThat(onB.awaitType("typing:start").path("data").path("userId").asString()).isEqualTo(alice.id().toString());
            awaitFrame(onA, "message:delivered", bob.id());

            // A third user, on node B, joins the group and sees every message from then on.
            TestUser carol = nodeB.users().register("mn_c");
            try (WsClient carolOnB = WsClient.connectReady(nodeB.baseUrl(), carol.token(), null)) {
                Api.Response added = nodeA.api().post("/api/chats/" + chat.id() + "/participants", alice.token(),
                        Map.of("userIds", List.of(carol.id())));
                assertThat(added.status()).as(added.text()).isIn(200, 201);
                awaitType(carolOnB, "participant:joined");
                World.Message welcome = chat.send(onA, "welcome carol");
                World.Message fromBob = chat.send(onB, "hi carol");
                assertThat(World.nextMessage(carolOnB).path("data").path("id").asString()).isEqualTo(welcome.id());
                assertThat(World.nextMessage(carolOnB).path("data").path("id").asString()).isEqualTo(fromBob.id());
            }
        }
    }

    private static void awaitType(WsClient ws, String type) {
        ws.awaitType(type);
    }

    @Test
    @Order(2)
    void aCallRingsAndConnectsAcrossNodes() {
        TestUser alice = nodeA.users().register("mn_ca");
        TestUser bob = nodeB.users().register("mn_cb");
        Api.Response direct = nodeA.api().post("/api/chats/direct", alice.token(), Map.of("userId", bob.id()));
        String chatId = direct.body().path("chat").path("id").asString();
        try (WsClient onA = WsClient.connectReady(nodeA.baseUrl(), alice.token(), null);
             WsClient bobOnB = WsClient.connectReady(nodeB.baseUrl(), bob.token(), null);
             WsClient bobOnA = WsClient.connectReady(nodeA.baseUrl(), bob.token(), null)) {
            // Bob's connection on node B counts as connected for node A (Redis' per-node counts).
            JsonNode invited = onA.request("call:invite", Map.of("chatId", chatId, "video", true));
            assertThat(invited.path("data").path("state").asString()).as(invited.toString()).isEqualTo("ringing");
            String callId = invited.path("data").path("callId").asString();
            awaitType(bobOnB, "call:invite");
            awaitType(bobOnA, "call:invite");
            // Answered on node B: the row lock is in the database, the events cross over the bus.
            assertThat(bobOnB.request("call:accept", Map.of("callId", callId)).path("type").asString()).isEqualTo("ack");
            awaitType(onA, "call:accept");
            awaitType(bobOnA, "call:accept");
            bobOnB.request("call:offer", Map.of("callId", callId, "toUserId", alice.id(), "sdp", "v=0"));
            awaitType(onA, "call:offer");
            onA.request("call:answer", Map.of("callId", callId, "toUserId", bob.id(), "sdp", "v=0"));
            awaitType(bobOnB, "call:answer");
            onA.request("call:hangup", Map.of("callId", callId));
            awaitType(bobOnB, "call:ended");
        }
    }

    @Test
    @Order(3)
    void aNodeThatMissesRedisTrafficStillDeliversFromTheDatabase() {
        TestUser alice = nodeA.users().register("mn_rd_a");
        TestUser bob = nodeB.users().register("mn_rd_b");
        World.Chat chat = nodeA.world().group("delivery test", alice, bob);
        try (WsClient onB = WsClient.connectReady(nodeB.baseUrl(), bob.token(), null)) {
            cluster.redis().stop();
            try {
                List<World.Message> sent = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    sent.add(chat.sendVia(nodeA.api(), alice, "redis is down " + i));
                }
                for (World.Message expected : sent) {
                    assertThat(World.nextMessage(onB).path("cursor").asString())
                            .isEqualTo(Long.toString(expected.position()));
                }
                // Redis is an accelerator: its outage leaves the node ready (RedisOutageTest).
                assertThat(nodeA.api().get("/health/ready", null).status()).isEqualTo(200);
            } finally {
                cluster.redis().start();
            }
        }
    }

    @Test
    @Order(4)
    void clientsOfAStoppedNodeResumeOnTheOtherAndMissNothing() throws Exception {
        TestUser alice = nodeA.users().register("mn_st_a");
        TestUser bob = nodeB.users().register("mn_st_b");
        TestUser dave = nodeB.users().register("mn_st_d");
        World.Chat chat = nodeA.world().group("delivery test", alice, bob, dave);
        int total = 150;
        List<World.Message> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        Set<String> received = new LinkedHashSet<>();
        List<String> receivedInOrder = new ArrayList<>();
        String cursor;

        WsClient aliceOnA = WsClient.connectReady(nodeA.baseUrl(), alice.token(), null);
        WsClient daveOnB = WsClient.connectReady(nodeB.baseUrl(), dave.token(), null);
        WsClient onB = WsClient.connectReady(nodeB.baseUrl(), bob.token(), null);
        awaitFrame(aliceOnA, "user:status", dave.id());
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < total; i++) {
                sent.add(chat.sendVia(nodeA.api(), alice, "message " + i));
                if (i % 10 == 0) {
                    sleep(20); // pacing: the stream is still flowing when node B stops
                }
            }
        });
        // Read part of the stream from node B, then stop node B under the client.
        for (int i = 0; i < 30; i++) {
            JsonNode event = World.nextMessage(onB);
            receivedInOrder.add(event.path("cursor").asString());
        }
        nodeB.close();
        assertThat(onB.awaitClose()).isEqualTo(1012);
        // Whatever arrived before the close counts as received.
        for (JsonNode frame : onB.pending()) {
            if ("message:new".equals(frame.path("type").asString())) {
                receivedInOrder.add(frame.path("cursor").asString());
            }
        }
        cursor = receivedInOrder.getLast();

        sender.get(60, TimeUnit.SECONDS);
        try (WsClient onA = WsClient.connectWithAuthFrame(nodeA.baseUrl(), bob.token(), cursor)) {
            long last = sent.getLast().position();
            while (Long.parseLong(receivedInOrder.getLast()) < last) {
                receivedInOrder.add(World.nextMessage(onA).path("cursor").asString());
            }
        }
        // Dave was connected only to the stopped node: node A finds him gone and marks him offline.
        JsonNode offline = aliceOnA.await(frame -> "user:status".equals(frame.path("type").asString())
                && dave.id().toString().equals(frame.path("data").path("userId").asString())
                && "offline".equals(frame.path("data").path("status").asString()), java.time.Duration.ofSeconds(30));
        assertThat(offline.path("data").path("lastSeen").isNull()).isFalse();
        assertThat(daveOnB.awaitClose()).isEqualTo(1012);
        aliceOnA.close();

        received.addAll(receivedInOrder);
        assertThat(received).as("no duplicates").hasSize(receivedInOrder.size());
        assertThat(receivedInOrder).containsExactlyElementsOf(
                sent.stream().map(s -> Long.toString(s.position())).toList());
    }

    private static void awaitFrame(WsClient ws, String type, UUID userId) {
        ws.await(frame -> type.equals(frame.path("type").asString())
                && userId.toString().equals(frame.path("data").path("userId").asString()), WsClient.WAIT);
    }

    /** Pacing of the sender (a conversation, not a flood), not a wait for a condition. */
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
