package app.confab.delivery;

import java.util.UUID;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import app.confab.platform.ConfabProperties;
import app.confab.platform.DependencyCheck;
import app.confab.platform.Metrics;
import tools.jackson.databind.ObjectMapper;

/**
 * Chooses the cross-node parts: with REDIS_URL a Redis pub/sub bus; without it the in-process bus
 * (one node). The Redis connection and the node's name are shared with presence
 * (app.confab.presence.PresenceConfig), which chooses its counter the same way.
 */
@Configuration(proxyBeanMethods = false)
public class DeliveryConfig {

    /** Names this node on the bus and in presence counts; new on every start. */
    @Bean
    NodeIdentity nodeIdentity() {
        return new NodeIdentity(UUID.randomUUID().toString());
    }

    @Bean(destroyMethod = "close")
    RedisHolder redisHolder(ConfabProperties properties) {
        return new RedisHolder(properties.hasRedis() ? new RedisLink(properties.redisUrl().trim()) : null);
    }

    @Bean
    EventBus eventBus(RedisHolder redis, ObjectMapper objectMapper, NodeIdentity node, Metrics metrics) {
        if (redis.link() == null) {
            return new LocalEventBus();
        }
        return new RedisEventBus(redis.link(), objectMapper, node.id(), metrics);
    }

    @Bean
    @ConditionalOnExpression("!'${confab.redis-url:}'.isBlank()")
    DependencyCheck redisCheck(RedisHolder redis) {
        return new DependencyCheck() {
            @Override
            public String name() {
                return "redis";
            }

            @Override
            public boolean isHealthy() {
                return "PONG".equalsIgnoreCase(redis.link().sync().ping());
            }

            /** Without Redis, nodes read the stream from the database (StreamTailer): slower, not down. */
            @Override
            public boolean critical() {
                return false;
            }

            @Override
            public String failedState() {
                return "degraded";
            }
        };
    }

    public record NodeIdentity(String id) {
    }

    /** Owns the optional Redis connection so it closes after everything that uses it. */
    public record RedisHolder(RedisLink link) implements AutoCloseable {
        @Override
        public void close() {
            if (link != null) {
                link.close();
            }
        }
    }
}
