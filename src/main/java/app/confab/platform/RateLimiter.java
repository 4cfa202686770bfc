package app.confab.platform;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * The rate limits of docs/subsystems/accounts.md, "Rate limits", as in-memory token buckets (Bucket4j) keyed by client or user.
 * Buckets read time from the application {@link Clock}, so tests can move time instead of waiting.
 */
@Component
public class RateLimiter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    /** After a Redis failure, budgets are kept here for this long before Redis is tried again. */
    static final Duration REDIS_BACKOFF = Duration.ofSeconds(5);

    public enum Limit { API, FAILED_LOGIN, MESSAGE }

    private final ConfabProperties.RateLimit settings;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(30))
            .maximumSize(500_000)
            .build();

    private final RequestLimits requestLimits;
    private final SharedBuckets shared;
    private volatile long redisDownUntilNanos = System.nanoTime();

    public RateLimiter(ConfabProperties properties, RequestLimits requestLimits, Clock clock) {
        this.settings = properties.rateLimit();
        this.requestLimits = requestLimits;
        this.shared = properties.hasRedis() ? new SharedBuckets(properties.redisUrl().trim()) : null;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return TimeUnit.MILLISECONDS.toNanos(clock.millis());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    /** Takes one token; returns how long to wait when there is none, or null when allowed. */
    public Duration tryAcquire(Limit limit, String key) {
        ConsumptionProbe probe = bucket(limit, key).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? null : Duration.ofNanos(Math.max(probe.getNanosToWaitForRefill(), 1_000_000_000L));
    }

    /** Like tryAcquire but takes nothing: whether a token is available right now. */
    public Duration checkAvailable(Limit limit, String key) {
        Bucket bucket = bucket(limit, key);
        if (bucket.getAvailableTokens() > 0) {
            return null;
        }
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return Duration.ofNanos(Math.max(nanos, 1_000_000_000L));
    }

    /**
     * One WebSocket request of {@code type}: takes a token from the connection's bucket and from the
     * user's bucket for that type (the type's budget, or the default one). Returns how long to wait
     * when either is empty (nothing may be done then), or null when allowed.
     */
    public Duration tryAcquireRequest(String type, java.util.UUID userId, ConnectionBudgets connection) {
        RequestLimits.Budget budget = requestLimits.budget(type);
        ConsumptionProbe own = connection.buckets.computeIfAbsent(type,
                ignored -> requestBucket(budget.perConnection(), budget.window())).tryConsumeAndReturnRemaining(1);
        if (!own.isConsumed()) {
            return wait(own);
        }
        ConsumptionProbe user = consumeUser(type, userId, budget);
        return user.isConsumed() ? null : wait(user);
    }

    /** The per-connection buckets of one socket: they live and die with it. */
    public static final class ConnectionBudgets {
        private final java.util.Map<String, Bucket> buckets = new java.util.concurrent.ConcurrentHashMap<>();
    }

    public ConnectionBudgets newConnection() {
        return new ConnectionBudgets();
    }

    /**
     * The user's bucket for a request type: in Redis when configured, so a client gains nothing by
     * spreading its connections over nodes; here otherwise, and while Redis fails (a request is
     * never refused because Redis is down: the node's own budget applies meanwhile).
     */
    private ConsumptionProbe consumeUser(String type, java.util.UUID userId, RequestLimits.Budget budget) {
        if (shared != null && System.nanoTime() - redisDownUntilNanos >= 0) {
            try {
                return shared.consume("confab:budget:" + type + ":" + userId, budget);
            } catch (RuntimeException e) {
                redisDownUntilNanos = System.nanoTime() + REDIS_BACKOFF.toNanos();
                log.warn("Request budgets fall back to this node's for {} s: Redis failed ({})",
                        REDIS_BACKOFF.toSeconds(), e.toString());
            }
        }
        String key = "user|" + userId + "|" + type;
        return buckets.get(key, ignored -> requestBucket(budget.perUser(), budget.window())).tryConsumeAndReturnRemaining(1);
    }

    /** Whether per-user budgets currently live in Redis (false without REDIS_URL or while it fails). */
    public boolean budgetsShared() {
        return shared != null && System.nanoTime() - redisDownUntilNanos >= 0;
    }

    @Override
    public void close() {
        if (shared != null) {
            shared.close();
        }
    }

    /**
     * Buckets in Redis through Bucket4j's Lettuce proxy manager (compare-and-swap on one key per
     * bucket, expiring once the bucket would be full again). Its own connection: the byte-array
     * codec Bucket4j needs differs from the event bus's. Commands fail fast while Redis is
     * unreachable and time out after 250 ms, so a budget check never stalls a request for long.
     */
    private static final class SharedBuckets implements AutoCloseable {
        private final io.lettuce.core.RedisClient client;
        private volatile io.lettuce.core.api.StatefulRedisConnection<String, byte[]> connection;
        private volatile io.github.bucket4j.distributed.proxy.ProxyManager<String> proxies;

        SharedBuckets(String url) {
            this.client = io.lettuce.core.RedisClient.create(io.lettuce.core.RedisURI.create(url));
            client.setOptions(io.lettuce.core.ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(io.lettuce.core.TimeoutOptions.enabled(Duration.ofMillis(250)))
                    .build());
        }

        ConsumptionProbe consume(String key, RequestLimits.Budget budget) {
            return proxies().builder()
                    .build(key, () -> io.github.bucket4j.BucketConfiguration.builder()
                            .addLimit(b -> b.capacity(budget.perUser()).refillGreedy(budget.perUser(), budget.window()))
                            .build())
                    .tryConsumeAndReturnRemaining(1);
        }

        private io.github.bucket4j.distributed.proxy.ProxyManager<String> proxies() {
            io.github.bucket4j.distributed.proxy.ProxyManager<String> current = proxies;
            if (current != null) {
                return current;
            }
            synchronized (this) {
                if (proxies == null) {
                    // Connects on first use, so a node starts while Redis is down (and falls back).
                    connection = client.connect(io.lettuce.core.codec.RedisCodec.of(
                            io.lettuce.core.codec.StringCodec.UTF8, io.lettuce.core.codec.ByteArrayCodec.INSTANCE));
                    connection.setTimeout(Duration.ofMillis(250));
                    proxies = io.github.bucket4j.redis.lettuce.Bucket4jLettuce.casBasedBuilder(connection)
                            .expirationAfterWrite(io.github.bucket4j.distributed.ExpirationAfterWriteStrategy
                                    .basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                            .requestTimeout(Duration.ofMillis(250))
                            .build();
                }
                return proxies;
            }
        }

        @Override
        public void close() {
            io.lettuce.core.api.StatefulRedisConnection<String, byte[]> current = connection;
            if (current != null) {
                current.close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private Bucket requestBucket(int capacity, Duration window) {
        return Bucket.builder().withCustomTimePrecision(time)
                .addLimit(b -> b.capacity(capacity).refillGreedy(capacity, window))
                .build();
    }

    private static Duration wait(ConsumptionProbe probe) {
        return Duration.ofNanos(Math.max(probe.getNanosToWaitForRefill(), 1_000_000L));
    }

    public void reset(Limit limit, String key) {
        buckets.invalidate(limit + "|" + key);
    }

    private Bucket bucket(Limit limit, String key) {
        return buckets.get(limit + "|" + key, ignored -> switch (limit) {
            case API -> Bucket.builder().withCustomTimePrecision(time)
                    .addLimit(b -> b.capacity(settings.apiPerMinute()).refillGreedy(settings.apiPerMinute(), Duration.ofMinutes(1)))
                    .build();
            case FAILED_LOGIN -> Bucket.builder().withCustomTimePrecision(time)
                    .addLimit(b -> b.capacity(settings.failedLoginsPerWindow())
                            .refillIntervally(settings.failedLoginsPerWindow(), settings.failedLoginWindow()))
                    .build();
            case MESSAGE -> Bucket.builder().withCustomTimePrecision(time)
                    .addLimit(b -> b.capacity(settings.messagesPerSecond()).refillGreedy(settings.messagesPerSecond(), Duration.ofSeconds(1)))
                    .build();
        });
    }
}
