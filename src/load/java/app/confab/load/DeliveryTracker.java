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
        /** When the last intended recipient got it (0 while someone is still waiting). */
        long completedNanos;
        int duplicateCount;
        int outOfOrderCount;
        /** The server's id of the first copy delivered (null when frames carried none). */
        String messageId;
        /** Deliveries of this clientMessageId under another server id: stored twice, a duplicate a client's de-dup by id keeps. */
        int storedTwiceCount;

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
    final LongAdder storedTwice = new LongAdder();
    final LongAdder unexpected = new LongAdder();
    final LongAdder unknown = new LongAdder();
    final LongAdder echoes = new LongAdder();
    final LongAdder outOfOrder = new LongAdder();
    private final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();
    /** The stream position of the last message:new each recipient got in each chat ("chatId/user"). */
    private final Map<String, Long> lastPosition = new ConcurrentHashMap<>();
    /** Deliveries per 100 ms since this tracker was made: the silences a fault causes. */
    private final java.util.concurrent.atomic.AtomicLongArray arrivals = new java.util.concurrent.atomic.AtomicLongArray(36_000);
    final long startNanos = System.nanoTime();

    /** Call before the frame goes out, so an early delivery finds its message. */
    public void sending(String clientMessageId, Population.Chat chat, int sender) {
        Sent message = new Sent(chat, sender, System.nanoTime());
        messages.put(clientMessageId, message);
        sent.increment();
        expected.add(message.expected());
    }

    public void received(String clientMessageId, int recipient) {
        received(clientMessageId, recipient, null);
    }

    /**
     * A message:new for {@code recipient}; {@code cursor} is its stream position (null when the frame
     * had none). Within one chat a recipient must see positions rising: a message:new whose position
     * is below the last one seen in that chat (and is not a second copy) is out of order.
     */
    public void received(String clientMessageId, int recipient, String cursor) {
        received(clientMessageId, recipient, cursor, null);
    }

    /**
     * As above, with the server's message id ({@code messageId}, null when unknown): a copy under a
     * different id than the first one is a message stored twice for one send, which a client's
     * de-duplication by id cannot hide; a second copy under the same id is only a re-delivery.
     */
    public void received(String clientMessageId, int recipient, String cursor, String messageId) {
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
            if (messageId != null) {
                if (message.messageId == null) {
                    message.messageId = messageId;
                } else if (!message.messageId.equals(messageId)) {
                    message.storedTwiceCount++;
                    storedTwice.increment();
                }
            }
            if (message.received.get(position)) {
                message.duplicateCount++;
                duplicates.increment();
                return;
            }
            message.received.set(position);
            message.receivedCount++;
            if (message.receivedCount == message.expected()) {
                message.completedNanos = now;
            }
        }
        long at = parsePosition(cursor);
        if (at >= 0) {
            long previous = lastPosition.merge(message.chat.id() + "/" + recipient, at, Math::max);
            if (previous != at) {
                // merge kept a higher position seen earlier: this one arrived after a later message.
                synchronized (message) {
                    message.outOfOrderCount++;
                }
                outOfOrder.increment();
            }
        }
        int bucket = (int) ((now - startNanos) / 100_000_000L);
        if (bucket >= 0 && bucket < arrivals.length()) {
            arrivals.incrementAndGet(bucket);
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

    /**
     * Waits until nothing is due (every send answered, every delivery in) or until no ack, error or
     * delivery has arrived for {@code quietNanos}, at most {@code timeoutNanos}; true unless the
     * timeout ended the wait while answers or deliveries were still coming in.
     */
    public boolean awaitQuiet(long quietNanos, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        long lastProgress = System.nanoTime();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            if (unanswered() <= 0 && outstanding() <= 0) {
                return true;
            }
            long now = acked.sum() + failed.sum() + delivered.sum() + duplicates.sum();
            if (now != seen) {
                seen = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress >= quietNanos) {
                return true;
            }
            sleep(100);
        }
        return false;
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

    private static long parsePosition(String cursor) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > 18) {
            return -1;
        }
        for (int i = 0; i < cursor.length(); i++) {
            if (!Character.isDigit(cursor.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(cursor);
    }

    /**
     * What the ledger saw of the messages sent between {@code fromNanos} and {@code toNanos} (this
     * JVM's clock): how many were sent and acknowledged, how many acknowledged ones some recipient
     * never got (lost), copies beyond the first (duplicated), deliveries out of stream order, the
     * longest any of them took to reach its last recipient, and the longest stretch inside the
     * window with no delivery at all.
     */
    public Window window(long fromNanos, long toNanos) {
        long sentCount = 0;
        long ackedCount = 0;
        long lost = 0;
        long unackedDelivered = 0;
        long dup = 0;
        long twice = 0;
        long disorder = 0;
        long maxCompletionNanos = 0;
        for (Sent message : messages.values()) {
            if (message.sentNanos < fromNanos || message.sentNanos >= toNanos) {
                continue;
            }
            synchronized (message) {
                sentCount++;
                if (message.acked) {
                    ackedCount++;
                    if (message.receivedCount < message.expected()) {
                        lost++;
                    }
                } else if (!message.failed && message.receivedCount > 0) {
                    unackedDelivered++;
                }
                dup += message.duplicateCount;
                twice += message.storedTwiceCount;
                disorder += message.outOfOrderCount;
                if (message.completedNanos > 0) {
                    maxCompletionNanos = Math.max(maxCompletionNanos, message.completedNanos - message.sentNanos);
                }
            }
        }
        int first = (int) Math.max(0, (fromNanos - startNanos) / 100_000_000L);
        int last = (int) Math.min(arrivals.length() - 1, (toNanos - startNanos) / 100_000_000L);
        int longestSilence = 0;
        int silence = 0;
        for (int bucket = first; bucket <= last; bucket++) {
            silence = arrivals.get(bucket) == 0 ? silence + 1 : 0;
            longestSilence = Math.max(longestSilence, silence);
        }
        return new Window(sentCount, ackedCount, lost, unackedDelivered, dup, twice, disorder,
                maxCompletionNanos / 1_000_000, longestSilence * 100L);
    }

    /** One window's figures; times in milliseconds. */
    public record Window(long sent, long acked, long lostAcked, long deliveredUnacked, long duplicates,
                         long storedTwice, long outOfOrder, long maxDeliveryMs, long longestSilenceMs) {
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
