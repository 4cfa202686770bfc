package app.confab.delivery;

import java.util.List;
import java.util.function.Consumer;

import app.confab.stream.StreamEvent;
import app.confab.stream.StreamPublisher;

/**
 * Carries committed events to every node so each can push them to its connected clients.
 * It only wakes clients up; the durable stream in the database is the record (a node that
 * misses bus traffic fills the gap from the database).
 *
 * <p>Ephemeral events (typing, presence, delivered receipts) travel on the same bus but have no
 * position and are never stored: a node that misses one simply does not show it.
 */
public interface EventBus extends StreamPublisher {

    /** Called after commit, with events in position order. Must not throw. */
    @Override
    void publish(List<StreamEvent> events);

    /** Registers this node's receiver of every published event (from this and other nodes). */
    void subscribe(Consumer<List<StreamEvent>> receiver);

    /** Sends an ephemeral event to every node. Must not throw. */
    void publishEphemeral(EphemeralPush event);

    /** Registers this node's receiver of every ephemeral event (from this and other nodes). */
    void subscribeEphemeral(Consumer<EphemeralPush> receiver);

    /**
     * Whether events from other nodes are arriving through the bus. While not, the node reads the
     * stream from the database often ({@link StreamTailer}). The in-process bus has no other nodes.
     */
    default boolean healthy() {
        return true;
    }
}
