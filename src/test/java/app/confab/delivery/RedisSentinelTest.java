package app.confab.delivery;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.PrometheusText;
import app.confab.support.ServerNode;
import app.confab.support.Users.TestUser;
import app.confab.support.World;
import app.confab.support.WsClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import redis.embedded.RedisInstance;
import redis.embedded.RedisSentinel;
import redis.embedded.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A highly available bus (issue 14): REDIS_URL names a Redis Sentinel instead of one Redis. Two
 * nodes find the master through the sentinel and use it as their bus; the master dies, the
 * sentinel promotes its replica, and both nodes follow it on their own (readiness back to
 * {@code "redis":"ok"}, {@code event_bus_degraded} 0) with cross-node delivery going on, once
 * and in order. Real redis-server processes (master, replica, sentinel) on local ports.
 */
class RedisSentinelTest {

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable closeable : started.reversed()) {
            closeable.close();
        }
    }

    @Test
    void nodesFindTheMasterThroughTheSentinelAndFollowItsFailover() throws Exception {
        int masterPort = freePort();
        int replicaPort = freePort();
        int sentinelPort = freePort();
        RedisServer master = redis(RedisServer.newRedisServer().port(masterPort).setting("bind 127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build());
        redis(RedisServer.newRedisServer().port(replicaPort).setting("bind 127.0.0.1")
                .setting("save \"\"").setting("appendonly no").slaveOf("127.0.0.1", masterPort).build());
        redis(RedisSentinel.newRedisSentinel().bind("127.0.0.1").port(sentinelPort).masterName("mymaster")
                .masterPort(masterPort).quorumSize(1).downAfterMilliseconds(1000).failOverTimeout(5000).build());
        String url = "redis-sentinel://127.0.0.1:" + sentinelPort + "?sentinelMasterId=mymaster";

        ServerNode.SharedDatabase database = new ServerNode.SharedDatabase();
        started.add(database);
        ServerNode nodeA = ServerNode.start(database.url(), url, database.dataDir().resolve("a"), Map.of());
        started.add(nodeA);
        ServerNode nodeB = ServerNode.start(database.url(), url, database.dataDir().resolve("b"), Map.of());
        started.add(nodeB);
        for (ServerNode node : List.of(nodeA, nodeB)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertRedisOk(node));
        }

        TestUser alice = nodeA.users().register("rs_a");
        TestUser bob = nodeB.users().register("rs_b");
        World.Chat chat = new World(nodeA.api()).group("sentinel", alice, bob);
        List<Long> sent = new ArrayList<>();
        List<Long> received = new ArrayList<>();
        try (WsClient bobOnB = WsClient.connectReady(nodeB.baseUrl(), bob.token(), null)) {
            sent.add(chat.send(alice, "through the sentinel's master").position());
            received.add(Long.parseLong(World.nextMessage(bobOnB).path("cursor").asString()));

            master.stop();
            // The sentinel sees the master down after 1 s and promotes the replica.
            await().atMost(Duration.ofSeconds(60)).until(() -> isMaster(replicaPort));
            // Both nodes ask the sentinel again on reconnect and end up on the new master: their ping
            // answers (readiness "ok", not "degraded") although the old master is gone.
            for (ServerNode node : List.of(nodeA, nodeB)) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertRedisOk(node));
            }
            for (int i = 0; i < 5; i++) {
                sent.add(chat.send(alice, "after the failover " + i).position());
            }
            while (received.size() < sent.size()) {
                received.add(Long.parseLong(World.nextMessage(bobOnB).path("cursor").asString()));
            }
            assertThat(received).as("every message once, in order").containsExactlyElementsOf(sent);
        }
    }

    private static void assertRedisOk(ServerNode node) {
        Api.Response ready = node.api().get("/health/ready", null);
        assertThat(ready.status()).as(ready.text()).isEqualTo(200);
        assertThat(ready.body().path("services").path("redis").asString()).as(ready.text()).isEqualTo("ok");
        assertThat(PrometheusText.parse(node.api().get("/metrics", null).text()).samples("event_bus_degraded"))
                .singleElement().satisfies(sample -> assertThat(sample.value()).isZero());
    }

    private static boolean isMaster(int port) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().info("replication").contains("role:master");
        } catch (RuntimeException e) {
            return false;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    private <T extends RedisInstance> T redis(T instance) throws IOException {
        instance.start();
        started.add(() -> {
            if (instance.isActive()) {
                instance.stop();
            }
        });
        return instance;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
