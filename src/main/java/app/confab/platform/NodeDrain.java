package app.confab.platform;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The first step of a graceful stop (SIGTERM, Kubernetes pod deletion, context close). As the
 * lifecycle bean with the highest phase it stops before the web server's graceful shutdown, so:
 * <ol>
 *   <li>readiness turns 503 and new WebSocket upgrades and long-polls are refused with 503
 *       ({@link DrainFilter}), which a proxy retries on another node;</li>
 *   <li>after {@code SHUTDOWN_DRAIN_DELAY} (time for a load balancer polling readiness to notice),
 *       every {@link DrainListener} hands its clients elsewhere;</li>
 *   <li>then Spring Boot's graceful shutdown stops accepting connections and lets in-flight
 *       requests finish (bounded by {@code spring.lifecycle.timeout-per-shutdown-phase}).</li>
 * </ol>
 */
@Component
public class NodeDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeDrain.class);

    private final ObjectProvider<DrainListener> listeners;
    private final Duration drainDelay;
    private volatile boolean running;
    private volatile boolean draining;

    public NodeDrain(ObjectProvider<DrainListener> listeners, ConfabProperties properties) {
        this.listeners = listeners;
        this.drainDelay = properties.drainDelay() == null ? Duration.ZERO : properties.drainDelay();
    }

    public boolean isDraining() {
        return draining;
    }

    @Override
    public void start() {
        draining = false;
        running = true;
    }

    @Override
    public void stop() {
        draining = true;
        log.info("Draining: readiness is now 503; handing clients to other nodes in {} ms", drainDelay.toMillis());
        if (drainDelay.isPositive()) {
            try {
                Thread.sleep(drainDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<DrainListener> all = listeners.orderedStream().toList();
        for (DrainListener listener : all) {
            try {
                listener.drain();
            } catch (RuntimeException e) {
                log.warn("Drain listener {} failed", listener.getClass().getName(), e);
            }
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before everything else, in particular before the web server's graceful shutdown. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
