package app.confab.load;

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The receiving side's ledger: for every message sent, which of its intended recipients (every
 * member of the chat but the sender) got it, and how long it took. A message is known by its
 * clientMessageId, which the tool also writes into the content. A recipient getting the same
 * message twice is a duplicate, never a second delivery; a message reaching a non-member is
 * counted as unexpected. Latency is from just before the send to the frame's arrival, both on
 * this JVM's monotonic clock, recorded in microseconds.
 */
public final class DeliveryTracker {

    /** One message in flight or done. Guarded by itself. */
    static final class Sent {
        final Population.Chat chat;
        final int sender;
        final long sentNanos;
        final BitSet received = new BitSet();
        int receivedCount;
        boolean failed;
        boolean acked;

        Sent(Population.Chat chat, int sender, long sentNanos) {
            this.chat = chat;
            this.sender = sender;
            this.sentNanos = sentNanos;
        }

        int expected() {
            return chat.members().length - 1;
        }
    }

    private final Map<String, Sent> messages = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(3);
    private final Recorder ackLatency = new Recorder(3);
    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder expected = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder unexpected = new LongAdder();
    final LongAdder unknown = new LongAdder();
    final LongAdder echoes = new LongAdder();
    private final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();

    /** Call before the frame goes out, so an early delivery finds its message. */
    public void sending(String clientMessageId, Population.Chat chat, int sender) {
        Sent message = new Sent(chat, sender, System.nanoTime());
        messages.put(clientMessageId, message);
        sent.increment();
        expected.add(message.expected());
    }

    public void received(String clientMessageId, int recipient) {
        long now = System.nanoTime();
        Sent message = messages.get(clientMessageId);
        if (message == null) {
            unknown.increment();
            return;
        }
        if (recipient == message.sender) {
            echoes.increment();
            return;
        }
        int position = message.chat.positionOf(recipient);
        if (position < 0) {
            unexpected.increment();
            return;
        }
        synchronized (message) {
            if (message.received.get(position)) {
                duplicates.increment();
                return;
            }
            message.received.set(position);
            message.receivedCount++;
        }
        delivered.increment();
        latency.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(now - message.sentNanos)));
    }

    public void acked(String clientMessageId) {
        long now = System.nanoTime();
        Sent message = messages.get(clientMessageId);
        if (message == null) {
            return;
        }
        synchronized (message) {
            if (message.acked || message.failed) {
                return;
            }
            message.acked = true;
        }
        acked.increment();
        ackLatency.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(now - message.sentNanos)));
    }

    /** The server refused the message (or it could not be sent): nobody should get it. */
    public void failed(String clientMessageId, String code) {
        errorCodes.computeIfAbsent(code == null ? "UNKNOWN" : code, ignored -> new LongAdder()).increment();
        Sent message = messages.get(clientMessageId);
        if (message == null) {
            return;
        }
        synchronized (message) {
            if (message.failed || message.acked) {
                return;
            }
            message.failed = true;
        }
        failed.increment();
        expected.add(-message.expected());
    }

    /** An error frame without a request id, or another failure not tied to one message. */
    public void error(String code) {
        errorCodes.computeIfAbsent(code == null ? "UNKNOWN" : code, ignored -> new LongAdder()).increment();
    }

    public long outstanding() {
        return expected.sum() - delivered.sum();
    }

    /** Waits until every intended delivery arrived or the time is up; true when nothing is missing. */
    public boolean awaitDeliveries(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (outstanding() > 0 && System.nanoTime() < deadline) {
            sleep(20);
        }
        return outstanding() <= 0;
    }

    /** Messages with an ack or error pending. */
    public long unanswered() {
        return sent.sum() - acked.sum() - failed.sum();
    }

    public Histogram latencyInterval(Histogram recycle) {
        return latency.getIntervalHistogram(recycle);
    }

    public Histogram ackLatencyInterval(Histogram recycle) {
        return ackLatency.getIntervalHistogram(recycle);
    }

    public Map<String, Long> errorCodes() {
        Map<String, Long> codes = new TreeMap<>();
        errorCodes.forEach((code, count) -> codes.put(code, count.sum()));
        return codes;
    }

    public long errors() {
        return errorCodes.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Messages stored (acked) that some recipient never got: the losses. */
    public long messagesIncomplete() {
        long incomplete = 0;
        for (Sent message : messages.values()) {
            synchronized (message) {
                if (!message.failed && message.receivedCount < message.expected()) {
                    incomplete++;
                }
            }
        }
        return incomplete;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
