package app.confab.presence;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Connection counts of the other nodes, so a user is offline only when no node has a connection
 * of theirs. This node's own counts live in {@link PresenceService}.
 */
interface PresenceCounter {

    /** Publishes this node's count of the user's connections (0: none). Best effort. */
    void publish(UUID userId, int count);

    /** Whether another live node holds a connection of the user. Throws when it cannot tell. */
    boolean connectedElsewhere(UUID userId);

    /**
     * Proves this node alive, re-publishes all its counts, and returns the users that had
     * connections on nodes that died (their presence must be re-checked).
     */
    List<UUID> heartbeat(Map<UUID, Integer> localCounts);

    /** This node is stopping: let the others treat it as dead now rather than when its liveness expires. */
    void leave();
}
