package app.confab.delivery;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

/**
 * This node's connections to Redis (REDIS_URL), shared by the event bus, presence and readiness.
 * Commands fail fast while Redis is unreachable (instead of queueing without bound), and each
 * has a short timeout: Redis is an accelerator here, never the record, so callers log and carry on.
 * Reconnect attempts back off to at most 2 s (Lettuce's default grows to 30 s), so the bus is live
 * again soon after Redis returns. REDIS_URL may be a Sentinel URL
 * ({@code redis-sentinel://[:password@]s1:26379,s2:26379?sentinelMasterId=mymaster}): Lettuce asks
 * the sentinels for the current master, also on every reconnect after a failover.
 */
public final class RedisLink implements AutoCloseable {

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final ClientResources resources;
    private final RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;

    public RedisLink(String url) {
        // Every command of this link is timed (lettuce_command_*_seconds); see LettuceMetrics for
        // why its recorder has buckets only and can never fail a command.
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, java.util.concurrent.TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(app.confab.platform.LettuceMetrics.latencyRecorder())
                .build();
        this.client = RedisClient.create(resources, RedisURI.create(url));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
    }

    /** Blocking commands on the shared connection; connects on first use. Throws while Redis is down. */
    public RedisCommands<String, String> sync() {
        return connection().sync();
    }

    public StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (connection == null) {
                connection = client.connect();
                connection.setTimeout(COMMAND_TIMEOUT);
            }
            return connection;
        }
    }

    /** A dedicated connection for subscribing (a subscribed connection can run no other commands). */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return client.connectPubSub();
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            current.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
