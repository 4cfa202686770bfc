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
 * Chooses the cross-node parts: with REDIS_URL a Redis pub/sub bus and Redis-backed presence
 * counts; without it the in-process bus and in-memory presence (one node).
 */
@Configuration(proxyBeanMethods = false)
class DeliveryConfig {

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
    PresenceCounter presenceCounter(RedisHolder redis, NodeIdentity node) {
        return redis.link() == null ? new LocalPresenceCounter() : new RedisPresenceCounter(redis.link(), node.id());
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
        };
    }

    public record NodeIdentity(String id) {
    }

    /** Owns the optional Redis connection so it closes after everything that uses it. */
    record RedisHolder(RedisLink link) implements AutoCloseable {
        @Override
        public void close() {
            if (link != null) {
                link.close();
            }
        }
    }
}
