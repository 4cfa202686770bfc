package app.confab.presence;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import app.confab.delivery.DeliveryConfig.NodeIdentity;
import app.confab.delivery.DeliveryConfig.RedisHolder;

/** With REDIS_URL, connection counts are shared in Redis; without it they are this node's alone. */
@Configuration(proxyBeanMethods = false)
class PresenceConfig {

    @Bean
    PresenceCounter presenceCounter(RedisHolder redis, NodeIdentity node) {
        return redis.link() == null ? new LocalPresenceCounter() : new RedisPresenceCounter(redis.link(), node.id());
    }
}
