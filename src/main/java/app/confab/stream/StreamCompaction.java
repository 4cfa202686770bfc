package app.confab.stream;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Compacts the event stream: drops the events older than {@link StreamRetention#maxAge()}, oldest
 * first, and moves the horizon ({@link EventStore#horizon()}) up to the last one dropped, so a client
 * whose cursor is below it is told to {@code resync} instead of getting a catch-up with holes.
 * (Events superseded by a later delete or edit are dropped at once by the redaction, not here.)
 *
 * <p>Only a prefix of the stream is ever dropped (positions are handed out in time order), in small
 * batches, each its own short transaction. It never takes the stream lock, and it locks only rows
 * no writer touches, so sends go on meanwhile. One node compacts at a time (a transaction-scoped
 * advisory lock per batch); the others skip.
 */
@Component
public class StreamCompaction {

    private static final Logger log = LoggerFactory.getLogger(StreamCompaction.class);
    /** Arbitrary constant naming the compaction lock (not the stream lock). */
    private static final long COMPACTION_LOCK = 0x436f6d70616374L;

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final StreamRetention retention;
    private final Clock clock;

    StreamCompaction(JdbcClient jdbc, TransactionTemplate transaction, StreamRetention retention, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.retention = retention;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT10M", fixedDelayString = "${confab.stream.compaction-interval:PT1H}")
    void scheduled() {
        try {
            long dropped = compactOlderThan(clock.instant().minus(retention.maxAge()));
            if (dropped > 0) {
                log.info("Stream compaction dropped {} events older than {}", dropped, retention.maxAge());
            }
        } catch (RuntimeException e) {
            log.warn("Stream compaction failed; will retry", e);
        }
    }

    /** Drops every event created before {@code cutoff}, batch by batch; returns how many. */
    public long compactOlderThan(Instant cutoff) {
        long total = 0;
        while (true) {
            Long dropped = transaction.execute(status -> dropBatch(cutoff));
            if (dropped == null || dropped == 0) {
                return total;
            }
            total += dropped;
        }
    }

    /** One batch; null when another node holds the compaction lock. */
    private Long dropBatch(Instant cutoff) {
        Boolean locked = jdbc.sql("SELECT pg_try_advisory_xact_lock(:lock)").param("lock", COMPACTION_LOCK)
                .query(Boolean.class).single();
        if (!locked) {
            return null;
        }
        // The oldest positions by the primary key; their times only filter (no index on created_at).
        List<Long> dropped = jdbc.sql("""
                DELETE FROM events WHERE position IN (
                    SELECT position FROM (SELECT position, created_at FROM events ORDER BY position LIMIT :batch) oldest
                    WHERE created_at < :cutoff)
                RETURNING position
                """)
                .param("cutoff", Timestamp.from(cutoff))
                .param("batch", retention.batchSize())
                .query(Long.class)
                .list();
        if (dropped.isEmpty()) {
            return 0L;
        }
        long highest = dropped.stream().mapToLong(Long::longValue).max().orElseThrow();
        jdbc.sql("""
                UPDATE event_stream_horizon SET position = GREATEST(position, :highest), compacted_at = :now
                """)
                .param("highest", highest)
                .param("now", Timestamp.from(clock.instant()))
                .update();
        return (long) dropped.size();
    }
}
