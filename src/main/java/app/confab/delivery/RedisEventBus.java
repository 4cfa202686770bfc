package app.confab.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import app.confab.platform.Metrics;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import tools.jackson.databind.ObjectMapper;
import app.confab.stream.StreamEvent;

/**
 * The bus of a multi-node deployment: every node publishes on one Redis pub/sub channel and
 * subscribes to it. Events are first handed to this node's own receivers (so a node keeps
 * working when Redis does not), then published for the others; a node ignores its own messages.
 *
 * <p>Redis pub/sub is at-most-once: whatever a node misses (Redis down, a reconnect, a dropped
 * subscriber) is found by the {@link NodeDispatcher}'s periodic stream check and read from the
 * database. So a failed publish is logged and counted, never thrown into the committing request.
 */
public class RedisEventBus implements EventBus, AutoCloseable {

    static final String CHANNEL = "confab:events";
    private static final Logger log = LoggerFactory.getLogger(RedisEventBus.class);

    private final RedisLink redis;
    private final ObjectMapper objectMapper;
    private final String nodeId;
    private final List<Consumer<List<StreamEvent>>> receivers = new CopyOnWriteArrayList<>();
    private final List<Consumer<EphemeralPush>> ephemeralReceivers = new CopyOnWriteArrayList<>();
    private final Metrics metrics;
    private final Thread subscriber;
    private volatile StatefulRedisPubSubConnection<String, String> subscription;
    private volatile boolean closed;
    private volatile long lastFailureNanos = System.nanoTime() - FAILURE_MEMORY.toNanos();

    /** A failed publish or receive marks the bus unhealthy for this long, even if its socket looks open. */
    static final java.time.Duration FAILURE_MEMORY = java.time.Duration.ofSeconds(5);

    public RedisEventBus(RedisLink redis, ObjectMapper objectMapper, String nodeId, Metrics metrics) {
        this.redis = redis;
        this.objectMapper = objectMapper;
        this.nodeId = nodeId;
        this.metrics = metrics;
        this.subscriber = Thread.ofVirtual().name("redis-bus-subscribe").start(this::subscribeUntilConnected);
    }

    /** Wire form of one bus message: either durable events or one ephemeral event. */
    record BusMessage(String node, List<WireEvent> events, EphemeralPush ephemeral) {
    }

    record WireEvent(long position, String type, UUID chatId, UUID userId, String payload, Instant createdAt,
                     List<UUID> audience, StreamEvent.NewMessage newMessage) {
    }

    @Override
    public void publish(List<StreamEvent> events) {
        deliverLocally(events);
        List<WireEvent> wire = new ArrayList<>(events.size());
        for (StreamEvent e : events) {
            wire.add(new WireEvent(e.position(), e.type(), e.chatId(), e.userId(), e.payload(), e.createdAt(), e.audience(),
                    e.newMessage()));
        }
        send(new BusMessage(nodeId, wire, null));
    }

    @Override
    public void subscribe(Consumer<List<StreamEvent>> receiver) {
        receivers.add(receiver);
    }

    @Override
    public void publishEphemeral(EphemeralPush event) {
        deliverLocally(event);
        send(new BusMessage(nodeId, null, event));
    }

    @Override
    public void subscribeEphemeral(Consumer<EphemeralPush> receiver) {
        ephemeralReceivers.add(receiver);
    }

    private void send(BusMessage message) {
        try {
            String json = objectMapper.writeValueAsString(message);
            redis.connection().async().publish(CHANNEL, json).whenComplete((receivers, failure) -> {
                if (failure != null) {
                    publishFailed(failure);
                }
            });
        } catch (RuntimeException e) {
            publishFailed(e);
        }
    }

    /** Subscribed on an open connection, and no publish failed recently. */
    @Override
    public boolean healthy() {
        StatefulRedisPubSubConnection<String, String> current = subscription;
        return current != null && current.isOpen() && System.nanoTime() - lastFailureNanos >= FAILURE_MEMORY.toNanos();
    }

    private void publishFailed(Throwable failure) {
        lastFailureNanos = System.nanoTime();
        // Counted as redis_bus_errors_total{operation="publish"}; the database fill covers the gap.
        metrics.redisBusError("publish");
        log.warn("Could not publish to Redis ({}); other nodes will read the stream from the database",
                failure.toString());
    }

    private void onMessage(String json) {
        BusMessage message;
        try {
            message = objectMapper.readValue(json, BusMessage.class);
        } catch (RuntimeException e) {
            metrics.redisBusError("receive");
            log.warn("Ignoring an unreadable bus message", e);
            return;
        }
        if (nodeId.equals(message.node())) {
            return;
        }
        if (message.events() != null && !message.events().isEmpty()) {
            List<StreamEvent> events = new ArrayList<>(message.events().size());
            for (WireEvent e : message.events()) {
                events.add(new StreamEvent(e.position(), e.type(), e.chatId(), e.userId(), e.payload(), e.createdAt(),
                        e.audience() == null ? List.of() : e.audience(), e.newMessage()));
            }
            deliverLocally(events);
        }
        if (message.ephemeral() != null) {
            deliverLocally(message.ephemeral());
        }
    }

    private void deliverLocally(List<StreamEvent> events) {
        for (Consumer<List<StreamEvent>> receiver : receivers) {
            try {
                receiver.accept(events);
            } catch (RuntimeException e) {
                log.error("Event receiver failed", e);
            }
        }
    }

    private void deliverLocally(EphemeralPush event) {
        for (Consumer<EphemeralPush> receiver : ephemeralReceivers) {
            try {
                receiver.accept(event);
            } catch (RuntimeException e) {
                log.error("Ephemeral event receiver failed", e);
            }
        }
    }

    /** Lettuce re-subscribes by itself after a reconnect; only the first connection needs retrying. */
    private void subscribeUntilConnected() {
        while (!closed) {
            try {
                StatefulRedisPubSubConnection<String, String> connection = redis.connectPubSub();
                connection.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        onMessage(message);
                    }
                });
                connection.sync().subscribe(CHANNEL);
                subscription = connection;
                if (closed) {
                    connection.close();
                }
                return;
            } catch (RuntimeException e) {
                metrics.redisBusError("subscribe");
                log.warn("Cannot subscribe to Redis yet ({}); retrying", e.toString());
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        subscriber.interrupt();
        StatefulRedisPubSubConnection<String, String> current = subscription;
        if (current != null) {
            current.close();
        }
    }
}
