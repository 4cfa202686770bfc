package app.confab.delivery;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import app.confab.stream.StreamEvent;

/** The bus of a single node (no REDIS_URL): hands events straight to this node's receivers. */
public class LocalEventBus implements EventBus {

    private static final Logger log = LoggerFactory.getLogger(LocalEventBus.class);

    private final List<Consumer<List<StreamEvent>>> receivers = new CopyOnWriteArrayList<>();
    private final List<Consumer<EphemeralPush>> ephemeralReceivers = new CopyOnWriteArrayList<>();

    @Override
    public void publish(List<StreamEvent> events) {
        for (Consumer<List<StreamEvent>> receiver : receivers) {
            try {
                receiver.accept(events);
            } catch (RuntimeException e) {
                log.error("Event receiver failed", e);
            }
        }
    }

    @Override
    public void subscribe(Consumer<List<StreamEvent>> receiver) {
        receivers.add(receiver);
    }

    @Override
    public void publishEphemeral(EphemeralPush event) {
        for (Consumer<EphemeralPush> receiver : ephemeralReceivers) {
            try {
                receiver.accept(event);
            } catch (RuntimeException e) {
                log.error("Ephemeral event receiver failed", e);
            }
        }
    }

    @Override
    public void subscribeEphemeral(Consumer<EphemeralPush> receiver) {
        ephemeralReceivers.add(receiver);
    }
}
