package app.confab.stream;

import java.util.List;

/**
 * Where the stream hands its events once they committed: the real-time transport's event bus
 * (app.confab.delivery.EventBus), which wakes the connected clients on every node. Declared here so
 * the stream does not depend on the transport that reads it.
 */
public interface StreamPublisher {

    /** Called after commit, with events in position order. Must not throw. */
    void publish(List<StreamEvent> events);
}
