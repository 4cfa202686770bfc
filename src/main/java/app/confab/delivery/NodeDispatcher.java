package app.confab.delivery;

import java.time.Clock;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import app.confab.platform.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import app.confab.stream.StreamEvent;
import app.confab.stream.StreamReader;

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
 * <p>All of this runs on one thread, so the ordering state needs no locks. Each pass of its loop is
 * one {@link #turn}; its times come from a {@link Clock}, so a unit test can drive the gap wait and
 * the periodic check with a clock it moves (NodeDispatcherTest).
 */
@Component
class NodeDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeDispatcher.class);
    private static final int FILL_PAGE = 1000;

    private final StreamReader store;
    private final Clock clock;
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
    /** When the oldest buffered gap was first seen (clock millis), or -1 when there is none. */
    private long gapSince = -1;
    /** When the stream head is next compared with the watermark (clock millis). */
    private long nextCheck;
    /** The clock's time at the previous turn: a clock set back must not postpone the checks. */
    private long lastTurn;
    private volatile boolean running;
    private Thread thread;

    /**
     * In the application the dispatcher measures real time ({@link Clock#systemUTC()}), not the
     * application's clock bean: its waits bound how late events may be, so a test that freezes or
     * sets back the application's clock (tokens, rate limits) must not stall delivery.
     */
    @Autowired
    NodeDispatcher(StreamReader store, EventBus bus, RecipientRegistry registry, Frames frames,
                   DeliverySettings settings, MeterRegistry meters, Metrics metrics, StreamTailer tailer) {
        this(store, bus, registry, frames, settings, meters, metrics, tailer, Clock.systemUTC());
    }

    NodeDispatcher(StreamReader store, EventBus bus, RecipientRegistry registry, Frames frames,
                   DeliverySettings settings, MeterRegistry meters, Metrics metrics, StreamTailer tailer, Clock clock) {
        this.clock = clock;
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
        begin();
        running = true;
        thread = Thread.ofVirtual().name("node-dispatcher").start(this::run);
    }

    /** Starts from the stream head: what was committed before this node started is no one's live event here. */
    void begin() {
        watermark = store.currentPosition();
        lastTurn = clock.millis();
        nextCheck = lastTurn + tailer.checkInterval().toMillis();
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
                turn(inbox.poll(waitMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * One pass: takes the batch that arrived (null: none) and whatever queued up behind it, hands
     * out what is contiguous with the watermark, fills a gap that outlived the gap wait, and
     * compares the watermark with the stream head when that check is due.
     */
    void turn(List<StreamEvent> batch) {
        try {
            if (batch != null) {
                accept(batch);
                List<List<StreamEvent>> more = new ArrayList<>();
                inbox.drainTo(more);
                more.forEach(this::accept);
            }
            deliverContiguous();
            long now = now();
            if (pending.isEmpty()) {
                gapSince = -1;
            } else if (gapSince < 0) {
                gapSince = now;
            } else if (now - gapSince >= settings.gapWait().toMillis()) {
                fill(pending.lastKey());
            }
            if (now >= nextCheck) {
                nextCheck = now + tailer.checkInterval().toMillis();
                long head = store.currentPosition();
                if (head > watermark) {
                    fill(head);
                }
            }
        } catch (RuntimeException e) {
            // Typically the database is unreachable: keep the buffer, try again at the next check.
            log.warn("Dispatcher could not read the stream: {}", e.toString());
            long now = now();
            nextCheck = now + tailer.checkInterval().toMillis();
            gapSince = now;
        }
    }

    /** The position up to which every event has been handed out. */
    long watermark() {
        return watermark;
    }

    /** Events received above a gap, waiting for it to close or be filled. */
    int buffered() {
        return pending.size();
    }

    /** The clock's time; when it went back, the pending deadlines are moved back with it. */
    private long now() {
        long now = clock.millis();
        if (now < lastTurn) {
            nextCheck = Math.min(nextCheck, now);
            if (gapSince > now) {
                gapSince = now;
            }
        }
        lastTurn = now;
        return now;
    }

    private long waitMillis() {
        long until = nextCheck;
        if (!pending.isEmpty() && gapSince >= 0) {
            until = Math.min(until, gapSince + settings.gapWait().toMillis());
        }
        return Math.max(until - clock.millis(), 1);
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
