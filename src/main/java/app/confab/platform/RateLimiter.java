package app.confab.platform;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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
public class RateLimiter {

    public enum Limit { API, FAILED_LOGIN, MESSAGE }

    private final ConfabProperties.RateLimit settings;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(30))
            .maximumSize(500_000)
            .build();

    private final RequestLimits requestLimits;

    public RateLimiter(ConfabProperties properties, RequestLimits requestLimits, Clock clock) {
        this.settings = properties.rateLimit();
        this.requestLimits = requestLimits;
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
        ConsumptionProbe user = userBucket(type, userId, budget).tryConsumeAndReturnRemaining(1);
        return user.isConsumed() ? null : wait(user);
    }

    /** The per-connection buckets of one socket: they live and die with it. */
    public static final class ConnectionBudgets {
        private final java.util.Map<String, Bucket> buckets = new java.util.concurrent.ConcurrentHashMap<>();
    }

    public ConnectionBudgets newConnection() {
        return new ConnectionBudgets();
    }

    /** The user's bucket for a request type: in Redis when configured (shared by nodes), else here. */
    private Bucket userBucket(String type, java.util.UUID userId, RequestLimits.Budget budget) {
        String key = "user|" + userId + "|" + type;
        return buckets.get(key, ignored -> requestBucket(budget.perUser(), budget.window()));
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
