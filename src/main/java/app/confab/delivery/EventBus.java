package app.confab.delivery;

import java.util.List;
import java.util.function.Consumer;

/**
 * Carries committed events to every node so each can push them to its connected clients.
 * It only wakes clients up; the durable stream in the database is the record (a node that
 * misses bus traffic fills the gap from the database).
 *
 * <p>Ephemeral events (typing, presence, delivered receipts) travel on the same bus but have no
 * position and are never stored: a node that misses one simply does not show it.
 */
public interface EventBus {

    /** Called after commit, with events in position order. Must not throw. */
    void publish(List<StreamEvent> events);

    /** Registers this node's receiver of every published event (from this and other nodes). */
    void subscribe(Consumer<List<StreamEvent>> receiver);

    /** Sends an ephemeral event to every node. Must not throw. */
    void publishEphemeral(EphemeralEvent event);

    /** Registers this node's receiver of every ephemeral event (from this and other nodes). */
    void subscribeEphemeral(Consumer<EphemeralEvent> receiver);
}
