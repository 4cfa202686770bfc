package app.confab.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.PrometheusText;
import app.confab.support.Cluster;
import app.confab.support.ServerNode;
import app.confab.support.Users.TestUser;
import app.confab.support.World;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis outage degrades, it does not break (issue 14): two nodes on one database and one real
 * Redis; Redis stops. Both nodes stay ready ({@code "redis":"degraded"}, metric
 * {@code event_bus_degraded} 1), a message sent on node A still reaches a member connected to
 * node B (read from the database), and when Redis returns the nodes switch back while messages
 * keep flowing: every message arrives once, in order.
 */
class RedisOutageTest {

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
    void withRedisDownNodesStayReadyAndDeliverAcrossNodesThenSwitchBackWithoutGapOrDuplicate() throws Exception {
        TestUser alice = nodeA.users().register("ro_a");
        TestUser bob = nodeB.users().register("ro_b");
        World.Chat chat = nodeA.world().group("delivery test", alice, bob);
        List<Long> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        try (WsClient bobOnB = WsClient.connectReady(nodeB.baseUrl(), bob.token(), null)) {
            sent.add(chat.sendVia(nodeA.api(), alice, "before the outage").position());
            assertThat(World.nextMessage(bobOnB).path("cursor").asString()).isEqualTo(Long.toString(sent.getFirst()));
            assertThat(busDegraded(nodeB)).isZero();

            cluster.redis().stop();
            for (ServerNode node : List.of(nodeA, nodeB)) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    Api.Response ready = node.api().get("/health/ready", null);
                    assertThat(ready.body().path("services").path("redis").asString()).isEqualTo("degraded");
                    assertThat(ready.status()).as(ready.text()).isEqualTo(200);
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> busDegraded(node) == 1);
            }
            for (int i = 0; i < 5; i++) {
                sent.add(chat.sendVia(nodeA.api(), alice, "while redis is down " + i).position());
            }
            List<Long> received = new ArrayList<>();
            received.add(sent.getFirst());
            while (received.size() < sent.size()) {
                received.add(Long.parseLong(World.nextMessage(bobOnB).path("cursor").asString()));
            }
            assertThat(received).containsExactlyElementsOf(sent);

            // Redis returns while alice keeps sending: the switch back loses and repeats nothing.
            AtomicBoolean sending = new AtomicBoolean(true);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                int i = 0;
                while (sending.get()) {
                    sent.add(chat.sendVia(nodeA.api(), alice, "across the switch " + i++).position());
                    try {
                        Thread.sleep(25); // a steady conversation, not a flood
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            cluster.redis().start();
            await().atMost(Duration.ofSeconds(60)).until(() -> busDegraded(nodeA) == 0 && busDegraded(nodeB) == 0);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    nodeB.api().get("/health/ready", null).body().path("services").path("redis").asString()).isEqualTo("ok"));
            int beforeStop = sent.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> sent.size() >= beforeStop + 10);
            sending.set(false);
            sender.get(30, TimeUnit.SECONDS);
            // A last message through the healthy bus: everything before it has arrived by then.
            long last = chat.sendVia(nodeA.api(), alice, "after the switch").position();
            sent.add(last);
            while (received.getLast() != last) {
                received.add(Long.parseLong(World.nextMessage(bobOnB).path("cursor").asString()));
            }
            Set<Long> unique = new HashSet<>(received);
            assertThat(unique).as("no duplicates").hasSize(received.size());
            assertThat(received).as("every message, in order").containsExactlyElementsOf(sent);
            for (JsonNode frame : bobOnB.pending()) {
                assertThat(frame.path("type").asString()).as("nothing more: " + frame).isNotEqualTo("message:new");
            }
        }
    }

    private static double busDegraded(ServerNode node) {
        List<PrometheusText.Sample> samples = PrometheusText.parse(node.api().get("/metrics", null).text())
                .samples("event_bus_degraded");
        assertThat(samples).as("event_bus_degraded is exposed").isNotEmpty();
        return samples.getFirst().value();
    }
}
