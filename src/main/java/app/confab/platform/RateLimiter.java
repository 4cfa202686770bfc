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

    public RateLimiter(ConfabProperties properties, Clock clock) {
        this.settings = properties.rateLimit();
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
