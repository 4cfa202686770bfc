package app.confab.delivery;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Keeps cross-node delivery going while the bus (Redis) is down. The {@link NodeDispatcher}
 * compares its watermark with the stream head in the database every
 * {@link DeliverySettings#streamCheckInterval()} and reads whatever it missed; while the bus is
 * unhealthy this shortens that interval to {@code confab.delivery.degraded-tail-interval} (150 ms),
 * so every node tails the stream from the database and its clients get other nodes' events a
 * little later instead of at their next reconnect. Only while unhealthy: a healthy bus needs the
 * database read only as a safety net.
 *
 * <p>Switching in either direction needs nothing else: the dispatcher hands out each position once,
 * in order, whichever path (bus or database) brings it first, and fills any gap from the database.
 * The gauge {@code event_bus_degraded} is 1 while this node tails (alert EventBusDegraded).
 */
@Component
class StreamTailer {

    private static final Logger log = LoggerFactory.getLogger(StreamTailer.class);

    private final EventBus bus;
    private final DeliverySettings settings;
    private final Duration degradedInterval;
    private volatile boolean tailing;

    StreamTailer(EventBus bus, DeliverySettings settings, MeterRegistry meters,
                 @Value("${confab.delivery.degraded-tail-interval:150ms}") Duration degradedInterval) {
        this.bus = bus;
        this.settings = settings;
        this.degradedInterval = degradedInterval;
        Gauge.builder("event.bus.degraded", this, tailer -> tailer.bus.healthy() ? 0 : 1)
                .description("1 while this node reads other nodes' events from the database because the bus is down")
                .register(meters);
    }

    /** How long until the dispatcher next compares its watermark with the database's stream head. */
    Duration checkInterval() {
        boolean degraded = !bus.healthy();
        if (degraded != tailing) {
            tailing = degraded;
            if (degraded) {
                log.warn("Event bus unavailable: reading the event stream from the database every {} ms", degradedInterval.toMillis());
            } else {
                log.info("Event bus available again: back to live delivery through it");
            }
        }
        return degraded ? degradedInterval : settings.streamCheckInterval();
    }
}
