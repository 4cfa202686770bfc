package app.confab.platform;

import java.net.ServerSocket;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import app.confab.delivery.RedisLink;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import redis.embedded.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis commands are timed (lettuce_command_completion_seconds), the bus's own RedisLink included,
 * into the Prometheus registry as the server has it: buckets, no client-side percentiles (those
 * need HdrHistogram, which the server jar lacks), and a failing recorder never fails a command.
 */
class LettuceMetricsTest {

    private static RedisServer server;
    private static String url;

    @BeforeAll
    static void startRedis() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = RedisServer.newRedisServer().port(port).setting("bind 127.0.0.1").setting("save \"\"").build();
        server.start();
        url = "redis://127.0.0.1:" + port;
    }

    @AfterAll
    static void stopRedis() throws Exception {
        server.stop();
    }

    @Test
    void theBusLinksCommandsAreTimedIntoPrometheusBucketsWithoutPercentiles() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        io.micrometer.core.instrument.Metrics.addRegistry(registry);
        try (RedisLink link = new RedisLink(url)) {
            link.sync().set("lettuce-metrics", "1");
            link.sync().get("lettuce-metrics");
            StatefulRedisPubSubConnection<String, String> subscription = link.connectPubSub();
            subscription.sync().subscribe("lettuce-metrics-channel");
            link.sync().publish("lettuce-metrics-channel", "hello");
            subscription.close();

            Timer set = registry.find("lettuce.command.completion").tag("command", "SET").timer();
            assertThat(set).isNotNull();
            assertThat(set.count()).isGreaterThanOrEqualTo(1);
            assertThat(registry.find("lettuce.command.completion").tag("command", "PUBLISH").timer())
                    .as("the bus's publish").isNotNull();
            String scrape = registry.scrape();
            assertThat(scrape).contains("lettuce_command_completion_seconds_bucket{command=\"SET\"");
            // Percentiles would need HdrHistogram at run time (NoClassDefFoundError in the jar).
            assertThat(scrape).doesNotContain("quantile=");
            assertThat(set.takeSnapshot().percentileValues()).isEmpty();
        } finally {
            io.micrometer.core.instrument.Metrics.removeRegistry(registry);
            registry.close();
        }
    }

    @Test
    void aRecorderThatFailsTurnsItselfOffInsteadOfFailingTheConnection() {
        AtomicInteger calls = new AtomicInteger();
        CommandLatencyRecorder broken = new CommandLatencyRecorder() {
            @Override
            public void recordCommandLatency(SocketAddress local, SocketAddress remote, ProtocolKeyword commandType,
                                             long firstResponseLatency, long completionLatency) {
                calls.incrementAndGet();
                // What the jar did with Lettuce's default percentiles.
                throw new NoClassDefFoundError("org/HdrHistogram/DoubleRecorder");
            }
        };
        ClientResources resources = ClientResources.builder().commandLatencyRecorder(LettuceMetrics.guarded(broken)).build();
        RedisClient client = RedisClient.create(resources, RedisURI.create(url));
        try (StatefulRedisConnection<String, String> connection = client.connect();
             StatefulRedisPubSubConnection<String, String> subscription = client.connectPubSub()) {
            subscription.sync().subscribe("guarded");
            assertThat(connection.sync().set("guarded", "1")).isEqualTo("OK");
            assertThat(connection.sync().get("guarded")).isEqualTo("1");
            assertThat(calls.get()).as("tried once, then off").isEqualTo(1);
        } finally {
            client.shutdown();
            resources.shutdown();
        }
    }

    @Test
    void sharedClientResourcesTimeCommandsToo() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        io.micrometer.core.instrument.Metrics.addRegistry(registry);
        RedisClient client = RedisClient.create(LettuceMetrics.clientResources(), RedisURI.create(url));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().get("shared");
            assertThat(registry.find("lettuce.command.completion").tag("command", "GET").timer()).isNotNull();
        } finally {
            client.shutdown();
            io.micrometer.core.instrument.Metrics.removeRegistry(registry);
            registry.close();
        }
    }
}
