package app.confab.delivery;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

import app.confab.protocol.Event;

/**
 * What other features may do with the live (ephemeral) side of delivery: push an event to users'
 * connections on every node, and ask whether a user has any connection anywhere. Calls use both
 * (docs/subsystems/calls.md); typing and presence use the package's own classes.
 */
@Component
public class LiveEvents {

    private final EventBus bus;
    private final Frames frames;
    private final PresenceService presence;

    LiveEvents(EventBus bus, Frames frames, PresenceService presence) {
        this.bus = bus;
        this.frames = frames;
        this.presence = presence;
    }

    /** Pushes the event once to every connection of these users, on whichever node they are. */
    public void push(Collection<UUID> audience, Event.Ephemeral event) {
        if (!audience.isEmpty()) {
            bus.publishEphemeral(frames.push(List.copyOf(audience), event));
        }
    }

    /**
     * Whether the user has a connection on this or another node. When that cannot be told (Redis
     * down), says yes: a call then rings into the void until its timeout rather than being refused.
     */
    public boolean isConnected(UUID userId) {
        return presence.isConnected(userId);
    }
}
