package app.confab.delivery;

import java.util.Collection;
import java.util.UUID;

import org.springframework.stereotype.Component;

import app.confab.protocol.Event;

/**
 * What other features may do with the live (ephemeral) side of delivery: push an event to users'
 * connections on every node, and ask whether a user has any connection anywhere. Calls use both
 * (docs/subsystems/calls.md); presence and typing use {@link LivePush} and implement
 * {@link ConnectionTracker}.
 */
@Component
public class LiveEvents {

    private final LivePush push;
    private final ConnectionTracker connections;

    LiveEvents(LivePush push, ConnectionTracker connections) {
        this.push = push;
        this.connections = connections;
    }

    /** Pushes the event once to every connection of these users, on whichever node they are. */
    public void push(Collection<UUID> audience, Event.Ephemeral event) {
        push.push(audience, event);
    }

    /**
     * Whether the user has a connection on this or another node. When that cannot be told (Redis
     * down), says yes: a call then rings into the void until its timeout rather than being refused.
     */
    public boolean isConnected(UUID userId) {
        return connections.isConnected(userId);
    }
}
