package app.confab.platform;

import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import redis.embedded.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/** Redis commands sent through the shared client resources are timed (lettuce_command_completion_seconds). */
class LettuceMetricsTest {

    @Test
    void commandsAreTimedByType() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisServer server = RedisServer.newRedisServer().port(port).setting("bind 127.0.0.1").setting("save \"\"").build();
        server.start();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        io.micrometer.core.instrument.Metrics.addRegistry(registry);
        RedisClient client = RedisClient.create(LettuceMetrics.clientResources(), RedisURI.create("redis://127.0.0.1:" + port));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().set("lettuce-metrics", "1");
            connection.sync().get("lettuce-metrics");
            Timer set = registry.find("lettuce.command.completion").tag("command", "SET").timer();
            assertThat(set).isNotNull();
            assertThat(set.count()).isGreaterThanOrEqualTo(1);
        } finally {
            client.shutdown();
            server.stop();
            io.micrometer.core.instrument.Metrics.removeRegistry(registry);
        }
    }
}
