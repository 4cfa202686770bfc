package app.confab.platform;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket request budgets as a table with a default: a request type nobody listed (say a
 * {@code call:offer} added by another feature) is limited by the default budget, per connection
 * and per user. Time is frozen, so the counts are exact.
 */
class RequestBudgetsTest {

    private final Clock frozen = Clock.fixed(java.time.Instant.parse("2026-12-01T00:00:00Z"), java.time.ZoneOffset.UTC);

    private RateLimiter limiter(RequestLimits limits) {
        ConfabProperties properties = new ConfabProperties(Path.of("unused"), null, null, null, null, 0,
                new ConfabProperties.RateLimit(100, 5, Duration.ofMinutes(15), 10, false), null, null);
        return new RateLimiter(properties, limits, frozen);
    }

    @Test
    void aTypeWithoutAnEntryGetsTheDefaultBudgetPerConnection() {
        RequestLimits limits = new RequestLimits(new RequestLimits.Budget(20, 10, Duration.ofSeconds(1)), null, 1);
        RateLimiter limiter = limiter(limits);
        RateLimiter.ConnectionBudgets connection = limiter.newConnection();
        UUID user = UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAcquireRequest("call:offer", user, connection)).as("request %d", i).isNull();
        }
        Duration wait = limiter.tryAcquireRequest("call:offer", user, connection);
        assertThat(wait).isNotNull().isPositive();
        // Another connection of the same user has its own 10, but the user's 20 are shared.
        RateLimiter.ConnectionBudgets second = limiter.newConnection();
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAcquireRequest("call:offer", user, second)).isNull();
        }
        assertThat(limiter.tryAcquireRequest("call:offer", user, limiter.newConnection())).isNotNull();
    }

    @Test
    void listedTypesKeepTheirOwnBudgetAndSettingsOverrideIt() {
        RequestLimits limits = new RequestLimits(null,
                Map.of("reaction:add", new RequestLimits.Budget(3, 3, Duration.ofSeconds(1))), 1);
        assertThat(limits.budget("reaction:add").perUser()).isEqualTo(3);
        assertThat(limits.budget("message:send").perUser()).isEqualTo(10);
        assertThat(limits.budget("something:new")).isEqualTo(limits.defaults());
        RateLimiter limiter = limiter(limits);
        RateLimiter.ConnectionBudgets connection = limiter.newConnection();
        UUID user = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquireRequest("reaction:add", user, connection)).isNull();
        }
        assertThat(limiter.tryAcquireRequest("reaction:add", user, connection)).isNotNull();
        // Budgets are per type: sends still have room.
        assertThat(limiter.tryAcquireRequest("message:send", user, connection)).isNull();
    }

    @Test
    void callInvitesHaveTheirOwnPerMinuteBudgetWhichTheTestScaleLeavesExact() {
        // The shipped table, with the scale the shared test context uses: the per-second budgets grow,
        // the invite budget (10 a minute) and the ICE burst (100 per 10 s) do not.
        RequestLimits limits = new RequestLimits(null, null, 100_000);
        assertThat(limits.budget("call:invite")).isEqualTo(new RequestLimits.Budget(10, 10, Duration.ofMinutes(1)));
        assertThat(limits.budget("call:ice")).isEqualTo(new RequestLimits.Budget(100, 100, Duration.ofSeconds(10)));
        assertThat(limits.budget("message:send").perUser()).isEqualTo(10 * 100_000);
        assertThat(limits.budget("call:offer").perUser()).isEqualTo(20 * 100_000);
        RateLimiter limiter = limiter(limits);
        UUID user = UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            // One connection per invite: the per-user budget is the one that runs out.
            assertThat(limiter.tryAcquireRequest("call:invite", user, limiter.newConnection())).as("invite %d", i).isNull();
        }
        Duration wait = limiter.tryAcquireRequest("call:invite", user, limiter.newConnection());
        assertThat(wait).isNotNull().isGreaterThan(Duration.ofSeconds(1));
        // Other call requests are not held back by the invite budget.
        assertThat(limiter.tryAcquireRequest("call:accept", user, limiter.newConnection())).isNull();
    }
}
