package app.confab.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import app.confab.platform.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import app.confab.stream.EventStore;
import app.confab.stream.StreamEvent;

/**
 * Hands committed events to this node's recipients, each event once and in position order.
 *
 * <p>The bus is fast but may reorder (two transactions publish from two threads) or lose events
 * (Redis pub/sub is at-most-once). The dispatcher keeps a <em>watermark</em>: every position up to
 * it has been handed out. Events above watermark + 1 wait in a buffer. Because positions are taken
 * under the stream lock and commit in order, once an event at position N is known to be committed,
 * every position below N is final (committed, or rolled back and never to appear). So when a gap
 * persists for {@link DeliverySettings#gapWait()}, or the periodic check finds the stream head
 * ahead of the watermark (every second; every 150 ms while the bus is down, see {@link StreamTailer}),
 * one read of (watermark, N] from the database settles it: the events there
 * are delivered, positions not there never will exist.
 *
 * <p>All of this runs on one thread, so the ordering state needs no locks.
 */
@Component
class NodeDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeDispatcher.class);
    private static final int FILL_PAGE = 1000;

    private final EventStore store;
    private final RecipientRegistry registry;
    private final Frames frames;
    private final DeliverySettings settings;
    private final StreamTailer tailer;
    private final LinkedBlockingQueue<List<StreamEvent>> inbox = new LinkedBlockingQueue<>();
    private final TreeMap<Long, StreamEvent> pending = new TreeMap<>();
    private final Counter gapFills;
    private final Counter fillEvents;
    private final Metrics metrics;

    private volatile long watermark;
    private long gapSince = -1;
    private long nextCheck;
    private volatile boolean running;
    private Thread thread;

    NodeDispatcher(EventStore store, EventBus bus, RecipientRegistry registry, Frames frames,
                   DeliverySettings settings, MeterRegistry meters, Metrics metrics, StreamTailer tailer) {
        this.tailer = tailer;
        this.store = store;
        this.metrics = metrics;
        this.registry = registry;
        this.frames = frames;
        this.settings = settings;
        this.gapFills = Counter.builder("confab.dispatcher.fills")
                .description("Times a node read missing events from the database").register(meters);
        this.fillEvents = Counter.builder("confab.dispatcher.fill.events")
                .description("Events a node delivered from the database rather than the bus").register(meters);
        Gauge.builder("confab.dispatcher.watermark", this, dispatcher -> dispatcher.watermark)
                .description("The stream position up to which this node has dispatched").register(meters);
        bus.subscribe(inbox::add);
        bus.subscribeEphemeral(event -> registry.deliver(event.audience(), frames.ephemeral(event)));
    }

    @Override
    public void start() {
        watermark = store.currentPosition();
        nextCheck = System.nanoTime() + tailer.checkInterval().toNanos();
        running = true;
        thread = Thread.ofVirtual().name("node-dispatcher").start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try {
                List<StreamEvent> batch = inbox.poll(waitNanos(), TimeUnit.NANOSECONDS);
                if (batch != null) {
                    accept(batch);
                    List<List<StreamEvent>> more = new ArrayList<>();
                    inbox.drainTo(more);
                    more.forEach(this::accept);
                }
                deliverContiguous();
                long now = System.nanoTime();
                if (pending.isEmpty()) {
                    gapSince = -1;
                } else if (gapSince < 0) {
                    gapSince = now;
                } else if (now - gapSince >= settings.gapWait().toNanos()) {
                    fill(pending.lastKey());
                }
                if (now >= nextCheck) {
                    nextCheck = now + tailer.checkInterval().toNanos();
                    long head = store.currentPosition();
                    if (head > watermark) {
                        fill(head);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Typically the database is unreachable: keep the buffer, try again at the next check.
                log.warn("Dispatcher could not read the stream: {}", e.toString());
                nextCheck = System.nanoTime() + tailer.checkInterval().toNanos();
                gapSince = System.nanoTime();
            }
        }
    }

    private long waitNanos() {
        long now = System.nanoTime();
        long until = nextCheck;
        if (!pending.isEmpty() && gapSince >= 0) {
            until = Math.min(until, gapSince + settings.gapWait().toNanos());
        }
        return Math.max(until - now, TimeUnit.MILLISECONDS.toNanos(1));
    }

    private void accept(List<StreamEvent> events) {
        for (StreamEvent event : events) {
            if (event.position() > watermark) {
                pending.put(event.position(), event);
            }
        }
    }

    private void deliverContiguous() {
        while (!pending.isEmpty()) {
            Map.Entry<Long, StreamEvent> first = pending.firstEntry();
            if (first.getKey() <= watermark) {
                pending.pollFirstEntry();
            } else if (first.getKey() == watermark + 1) {
                pending.pollFirstEntry();
                dispatch(first.getValue());
                watermark = first.getKey();
            } else {
                return;
            }
        }
    }

    /** Reads (watermark, upTo] from the database: every position there is final, since upTo committed. */
    private void fill(long upTo) {
        gapFills.increment();
        while (watermark < upTo) {
            List<StreamEvent> events = store.readRange(watermark, upTo, FILL_PAGE);
            for (StreamEvent event : events) {
                dispatch(event);
                fillEvents.increment();
                watermark = event.position();
            }
            if (events.size() < FILL_PAGE) {
                watermark = upTo;
            }
        }
        pending.headMap(watermark, true).clear();
        gapSince = -1;
        deliverContiguous();
    }

    private void dispatch(StreamEvent event) {
        try {
            registry.deliver(event.audience(), frames.durable(event));
            // delivery_lag_seconds: from the write (just before commit) to the hand-over to this node's clients.
            metrics.deliveryLag(Duration.between(event.createdAt(), Instant.now()));
        } catch (RuntimeException e) {
            log.error("Could not dispatch event {} ({})", event.position(), event.type(), e);
        }
    }
}
