package app.confab.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests can move forward, to expire tokens and refill rate limits without waiting, and
 * freeze, so that real time passing during a test (slow machine) cannot refill a bucket.
 */
public class MutableClock extends Clock {

    private Duration offset = Duration.ZERO;
    private Instant frozenAt;

    public synchronized void advance(Duration by) {
        if (frozenAt != null) {
            frozenAt = frozenAt.plus(by);
        } else {
            offset = offset.plus(by);
        }
    }

    /** Stops time at the current instant; {@link #advance} still moves it. */
    public synchronized void freeze() {
        frozenAt = instant();
    }

    /** Lets time flow again from the frozen instant (never backwards). */
    public synchronized void unfreeze() {
        if (frozenAt != null) {
            offset = Duration.between(Instant.now(), frozenAt);
            frozenAt = null;
        }
    }

    public synchronized void reset() {
        offset = Duration.ZERO;
        frozenAt = null;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public synchronized Instant instant() {
        return frozenAt != null ? frozenAt : Instant.now().plus(offset);
    }
}
