package app.confab.delivery;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

import app.confab.protocol.Event;

/**
 * Pushes an ephemeral event (typing, presence, delivered receipts, call signals) once to every
 * connection of its audience, on whichever node they are: rendered once, sent over the bus. The
 * whole of the transport that presence and typing use to speak.
 */
@Component
public class LivePush {

    private final EventBus bus;
    private final Frames frames;

    LivePush(EventBus bus, Frames frames) {
        this.bus = bus;
        this.frames = frames;
    }

    /** Nothing is sent to an empty audience. */
    public void push(Collection<UUID> audience, Event.Ephemeral event) {
        if (!audience.isEmpty()) {
            bus.publishEphemeral(frames.push(List.copyOf(audience), event));
        }
    }
}
