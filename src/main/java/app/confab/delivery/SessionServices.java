package app.confab.delivery;

import java.time.Clock;

import io.micrometer.core.instrument.Counter;
import app.confab.stream.EventStore;

/** What a {@link ClientSession} needs from its node. */
record SessionServices(EventStore store, RecipientRegistry registry, Frames frames, DeliveryReceipts receipts,
                       ConnectionTracker connections, DeliverySettings settings, Clock clock, Counter slowConsumerCloses) {
}
