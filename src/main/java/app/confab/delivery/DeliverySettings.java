package app.confab.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Timings and limits of the real-time layer. The defaults are the protocol's (docs/PROTOCOL.md);
 * they are settings only so tests and operators can tighten them.
 *
 * @param authTimeout          how long a connection may stay unauthenticated
 * @param pingInterval         how often the server pings an idle connection
 * @param idleTimeout          a connection silent this long (no frame, no pong) is closed: the bound
 *                             on noticing a dead connection (issue 15: ~10 s)
 * @param maxFrameChars        the largest client frame the server will read (larger: error frame)
 * @param outboundQueueLimit   frames waiting for a slow client before it is told to reconnect
 * @param gapWait              how long an out-of-order gap may persist before the database fills it
 * @param streamCheckInterval  how often the dispatcher compares its watermark with the stream head
 * @param catchUpPageSize      events read per catch-up query
 * @param typingTimeout        a typing indicator ends this long after the last typing:start
 * @param presenceGrace        a user goes offline this long after their last connection closed
 * @param receiptFanoutLimit   groups larger than this send message:delivered to the message's
 *                             sender only (otherwise every member gets every member's receipt)
 * @param longPollTimeout      the long-poll wait when the client names none
 * @param longPollMaxTimeout   the longest long-poll wait a client may ask for
 */
@ConfigurationProperties(prefix = "confab.delivery")
public record DeliverySettings(
        @DefaultValue("10s") Duration authTimeout,
        @DefaultValue("4s") Duration pingInterval,
        @DefaultValue("10s") Duration idleTimeout,
        @DefaultValue("65536") int maxFrameChars,
        @DefaultValue("5000") int outboundQueueLimit,
        @DefaultValue("75ms") Duration gapWait,
        @DefaultValue("1s") Duration streamCheckInterval,
        @DefaultValue("500") int catchUpPageSize,
        @DefaultValue("6s") Duration typingTimeout,
        @DefaultValue("5s") Duration presenceGrace,
        @DefaultValue("32") int receiptFanoutLimit,
        @DefaultValue("25s") Duration longPollTimeout,
        @DefaultValue("60s") Duration longPollMaxTimeout) {
}
