package app.confab.load;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

/**
 * Samples the tracker once a second: prints a progress line and keeps per-second figures for the
 * chart, while folding each second's latencies into the run's total (and into the current
 * segment's, for scenarios that run in steps).
 */
public final class Timeline implements AutoCloseable {

    public record Second(double t, double sentPerSecond, double deliveredPerSecond, double ackedPerSecond,
                         long outstanding, long errors, double p50, double p95, double p99, double max) {
    }

    private final DeliveryTracker tracker;
    private final ConnectionStats connections;
    private final Supplier<String> extra;
    private final long start = System.nanoTime();
    private final List<Second> seconds = new ArrayList<>();
    private final Histogram total = new Histogram(3);
    private final Histogram ackTotal = new Histogram(3);
    private Histogram segment;
    private Histogram interval;
    private Histogram ackInterval;
    private long lastSent;
    private long lastDelivered;
    private long lastAcked;
    private long lastNanos = start;
    private final Thread sampler;
    private volatile boolean running = true;

    public Timeline(DeliveryTracker tracker, ConnectionStats connections, Supplier<String> extra) {
        this.tracker = tracker;
        this.connections = connections;
        this.extra = extra;
        this.sampler = Thread.ofPlatform().daemon().name("timeline").start(() -> {
            long next = start;
            while (running) {
                next += 1_000_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                if (running) {
                    sample(true);
                }
            }
        });
    }

    private synchronized void sample(boolean print) {
        long now = System.nanoTime();
        double elapsed = Math.max(1e-3, (now - lastNanos) / 1e9);
        interval = tracker.latencyInterval(interval);
        ackInterval = tracker.ackLatencyInterval(ackInterval);
        total.add(interval);
        ackTotal.add(ackInterval);
        if (segment != null) {
            segment.add(interval);
        }
        if (!print && elapsed < 0.5) {
            // A step boundary or the end: latencies are folded in above; the chart keeps whole seconds.
            return;
        }
        long sent = tracker.sent.sum();
        long delivered = tracker.delivered.sum();
        long acked = tracker.acked.sum();
        Second second = new Second(Report.round((now - start) / 1e9),
                Report.round((sent - lastSent) / elapsed), Report.round((delivered - lastDelivered) / elapsed),
                Report.round((acked - lastAcked) / elapsed), tracker.outstanding(), tracker.errors(),
                Report.Latency.millis(interval, 50), Report.Latency.millis(interval, 95),
                Report.Latency.millis(interval, 99), Report.Latency.millis(interval, 100));
        seconds.add(second);
        lastSent = sent;
        lastDelivered = delivered;
        lastAcked = acked;
        lastNanos = now;
        if (print) {
            String more = extra == null ? "" : extra.get();
            System.out.printf("[%5.0fs] sent %,d (%.0f/s) acked %,d delivered %,d (%.0f/s) outstanding %,d errors %d drops %d"
                            + " | p50 %.1f p95 %.1f p99 %.1f max %.1f ms%s%n",
                    second.t(), sent, second.sentPerSecond(), acked, delivered, second.deliveredPerSecond(),
                    second.outstanding(), second.errors(), connections.drops.sum(),
                    second.p50(), second.p95(), second.p99(), second.max(), more);
        }
    }

    /** Starts collecting a step's own latencies. */
    public synchronized void beginSegment() {
        sample(false);
        segment = new Histogram(3);
    }

    /** The latencies since {@link #beginSegment()}. */
    public synchronized Histogram endSegment() {
        sample(false);
        Histogram done = segment;
        segment = null;
        return done;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    public synchronized Histogram total() {
        return total;
    }

    public synchronized Histogram ackTotal() {
        return ackTotal;
    }

    public synchronized List<Second> seconds() {
        return List.copyOf(seconds);
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        sampler.interrupt();
        try {
            sampler.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample(false);
    }
}
