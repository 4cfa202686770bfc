package app.confab.platform;

import java.time.Duration;
import java.util.List;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The application metrics of docs/subsystems/operations.md, "Metrics", that features report into (HTTP, JVM and database timings
 * are recorded without their help). Names are Micrometer's; the Prometheus registry turns
 * {@code messages.processed} into {@code messages_processed_total} and a timer
 * {@code delivery.lag} into {@code delivery_lag_seconds}.
 *
 * <p>Label values must come from a small fixed set (an event type, never an id): every distinct
 * combination is a time series kept forever.
 */
@Component
public class Metrics {

    /** Message kinds and outcomes whose series exist from start, so rates start at zero, not "no data". */
    static final List<String> MESSAGE_TYPES = List.of("send", "edit", "delete", "reaction");
    static final List<String> MESSAGE_STATUSES = List.of("success", "failed", "duplicate");
    static final List<String> BUS_OPERATIONS = List.of("publish", "subscribe", "receive");
    static final List<String> STORAGE_OPERATIONS = List.of("put", "get", "delete");

    /** Delivery lag buckets: from "instant" to "a client noticed". */
    private static final Duration[] LAG_BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    /** Storage timings: a local disk answers in about a millisecond, S3 in tens. */
    private static final Duration[] STORAGE_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(5)};

    /** Close codes with their own series (bounded: a client may send any code from 1000 to 4999). */
    static final java.util.Set<Integer> KNOWN_CLOSE_CODES = java.util.Set.of(
            1000, 1001, 1002, 1003, 1006, 1007, 1008, 1009, 1011, 1012, 1013, 4000, 4001, 4401, 4403, 4408, 4429);

    private final MeterRegistry registry;
    private final Timer deliveryLag;

    public Metrics(MeterRegistry registry) {
        this.registry = registry;
        this.deliveryLag = Timer.builder("delivery.lag")
                .description("Time from an event's commit to its hand-over to a connected client")
                .serviceLevelObjectives(LAG_BUCKETS)
                .register(registry);
        for (String type : MESSAGE_TYPES) {
            for (String status : MESSAGE_STATUSES) {
                messages(type, status);
            }
        }
        BUS_OPERATIONS.forEach(this::busErrors);
        STORAGE_OPERATIONS.forEach(this::storageErrors);
    }

    /**
     * One message operation finished: {@code type} is what was done (send, edit, delete, reaction),
     * {@code status} how it ended (success, failed, duplicate — an idempotent retry).
     */
    public void messageProcessed(String type, String status) {
        messages(type, status).increment();
    }

    /** How long after its commit an event reached a client's connection (or long-poll). */
    public void deliveryLag(Duration lag) {
        deliveryLag.record(lag.isNegative() ? Duration.ZERO : lag);
    }

    /** The cross-node bus failed to publish, subscribe or decode ({@code operation}). */
    public void redisBusError(String operation) {
        busErrors(operation).increment();
    }

    /** Object storage (data directory or S3) failed an operation: put, get or delete. */
    public void storageError(String operation) {
        storageErrors(operation).increment();
    }

    /** One object-storage operation (put, get, delete) on the disk or S3 store took this long. */
    public void storageOperation(String operation, String kind, String outcome, long nanos) {
        Timer.builder("storage.operation.duration")
                .description("Time of attachment storage operations, by operation, store kind and outcome")
                .tag("operation", operation)
                .tag("kind", kind)
                .tag("outcome", outcome)
                .serviceLevelObjectives(STORAGE_BUCKETS)
                .register(registry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A WebSocket closed with this code (RFC 6455 or Confab's 4xxx); unknown codes count as "other". */
    public static void webSocketClosed(int code) {
        String label = KNOWN_CLOSE_CODES.contains(code) ? Integer.toString(code) : "other";
        io.micrometer.core.instrument.Metrics.counter("websocket.closes", "code", label).increment();
    }

    private Counter messages(String type, String status) {
        return Counter.builder("messages.processed")
                .description("Messages processed, by operation and outcome")
                .tag("type", type)
                .tag("status", status)
                .register(registry);
    }

    private Counter busErrors(String operation) {
        return Counter.builder("redis.bus.errors")
                .description("Failures of the Redis event bus")
                .tag("operation", operation)
                .register(registry);
    }

    private Counter storageErrors(String operation) {
        return Counter.builder("storage.errors")
                .description("Failures of the attachment storage")
                .tag("operation", operation)
                .register(registry);
    }
}
