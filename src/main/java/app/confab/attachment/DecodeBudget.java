package app.confab.attachment;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import app.confab.platform.ApiException;
import app.confab.platform.ErrorCode;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * What one user may make the server decode, so one user cannot starve everyone else's uploads:
 * one upload being decoded at a time per user (a second concurrent one is 429), and a budget of
 * decoded pixels per minute ({@code DECODE_PIXELS_PER_MINUTE}) counted from the image headers
 * before anything is decoded (429 with Retry-After beyond it; 413 for one upload larger than the
 * whole budget). Per node: each node's decode slots are its own to protect.
 */
@Component
class DecodeBudget {

    private final long pixelsPerMinute;
    private final TimeMeter time;
    private final Set<UUID> decoding = ConcurrentHashMap.newKeySet();
    private final Cache<UUID, Bucket> budgets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    DecodeBudget(AttachmentSettings settings, Clock clock) {
        this.pixelsPerMinute = settings.decodePixelsPerMinute();
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

    /** Held while one user's upload is decoded; closing it lets their next upload in. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    Slot enter(UUID userId) {
        if (!decoding.add(userId)) {
            throw ApiException.rateLimited("Another upload of yours is still being processed; send one at a time",
                    Duration.ofSeconds(1));
        }
        return () -> decoding.remove(userId);
    }

    /** Takes {@code pixels} from the user's budget, or refuses the upload before any decoding. */
    void spend(UUID userId, long pixels) {
        if (pixels <= 0) {
            return;
        }
        if (pixels > pixelsPerMinute) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "These images have " + pixels / 1_000_000
                    + " megapixels together; one upload may have at most " + pixelsPerMinute / 1_000_000);
        }
        Bucket bucket = budgets.get(userId, ignored -> Bucket.builder().withCustomTimePrecision(time)
                .addLimit(limit -> limit.capacity(pixelsPerMinute).refillGreedy(pixelsPerMinute, Duration.ofMinutes(1)))
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(pixels);
        if (!probe.isConsumed()) {
            throw ApiException.rateLimited("Too many image pixels uploaded in the last minute; try again later",
                    Duration.ofNanos(Math.max(probe.getNanosToWaitForRefill(), 1_000_000_000L)));
        }
    }
}
