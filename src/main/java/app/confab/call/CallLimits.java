package app.confab.call;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import app.confab.platform.ApiException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * Per-user token buckets (Bucket4j, as platform's RateLimiter) for the call requests: invites are
 * few (each rings other people's devices), signalling is bursty (a peer trickles a dozen ICE
 * candidates per connection, and a mesh of 8 has 7 connections per peer). Kept here until the
 * general per-request-type budget exists; then these become its explicit entries.
 */
@Component
class CallLimits {

    enum Kind { INVITE, SIGNAL }

    private final CallSettings settings;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(200_000)
            .build();

    CallLimits(CallSettings settings, Clock clock) {
        this.settings = settings;
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

    /** Takes one token or refuses with RATE_LIMITED (and how long to wait). */
    void acquire(Kind kind, String userKey) {
        ConsumptionProbe probe = buckets.get(kind + "|" + userKey, ignored -> bucket(kind)).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw ApiException.rateLimited(kind == Kind.INVITE ? "Too many calls, wait a moment" : "Too many call requests, slow down",
                    Duration.ofNanos(Math.max(probe.getNanosToWaitForRefill(), 1_000_000_000L)));
        }
    }

    private Bucket bucket(Kind kind) {
        int perMinute = kind == Kind.INVITE ? settings.invitesPerMinute() : settings.signalsPerMinute();
        return Bucket.builder().withCustomTimePrecision(time)
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .build();
    }
}
