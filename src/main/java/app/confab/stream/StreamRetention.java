package app.confab.stream;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the event stream keeps events (docs/OPERATIONS.md, "Stream retention"). Messages
 * themselves are kept (or not) by the administrator's {@code messageRetentionDays}; this bounds only
 * how far back a client can catch up event by event before it is told to {@code resync}.
 *
 * @param maxAge             events older than this are dropped by the compaction
 * @param compactionInterval how often each node tries a compaction run (one node at a time runs it)
 * @param batchSize          events dropped per short transaction
 */
@ConfigurationProperties(prefix = "confab.stream")
public record StreamRetention(
        @DefaultValue("30d") Duration maxAge,
        @DefaultValue("1h") Duration compactionInterval,
        @DefaultValue("1000") int batchSize) {
}
