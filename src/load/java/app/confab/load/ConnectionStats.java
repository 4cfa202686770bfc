package app.confab.load;

import java.util.concurrent.atomic.LongAdder;

/** What happened to the tool's WebSocket connections, across all of them. */
public final class ConnectionStats {
    final LongAdder connectFailures = new LongAdder();
    final LongAdder drops = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final LongAdder badFrames = new LongAdder();
    final LongAdder errorFrames = new LongAdder();
    final LongAdder framesIn = new LongAdder();
    volatile String lastDropReason;

    /** Connection-level errors, the "Connection Errors" line of the report (docs/PERFORMANCE.md). */
    public long errors() {
        return connectFailures.sum() + drops.sum() + sendFailures.sum() + badFrames.sum();
    }
}
