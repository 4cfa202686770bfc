package app.confab.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.confab.platform.Metrics;
import app.confab.stream.StreamEvent;
import app.confab.stream.StreamReader;
import app.confab.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dispatcher's ordering, gap fill and periodic check, without a database or a thread: the
 * stream is a map of committed events, the test hands the dispatcher what the bus brought, one
 * {@link NodeDispatcher#turn} at a time, and moves its clock. Real frames, registry and bus.
 */
class NodeDispatcherTest {

    private static final Duration GAP_WAIT = Duration.ofMillis(75);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    /** The committed stream: position → event. */
    private static final class CommittedStream implements StreamReader {
        final TreeMap<Long, StreamEvent> events = new TreeMap<>();
        int reads;
        long head;

        void commit(StreamEvent event) {
            events.put(event.position(), event);
            head = Math.max(head, event.position());
        }

        @Override
        public long currentPosition() {
            return head;
        }

        @Override
        public List<StreamEvent> readRange(long after, long upTo, int limit) {
            reads++;
            return events.subMap(after, false, upTo, true).values().stream().limit(limit).toList();
        }
    }

    /** A connection of the user that keeps what it is handed. */
    private record Collecting(UUID userId, List<Delivery> received) implements Recipient {
        @Override
        public void deliver(Delivery delivery) {
            received.add(delivery);
        }

        List<Long> positions() {
            return received.stream().map(Delivery::position).toList();
        }
    }

    private final UUID alice = UUID.randomUUID();
    private final CommittedStream stream = new CommittedStream();
    private final MutableClock clock = new MutableClock();
    private final Collecting aliceSocket = new Collecting(alice, new ArrayList<>());
    private NodeDispatcher dispatcher;

    @BeforeEach
    void setUp() {
        clock.freeze();
        dispatcher = dispatcherReading(stream);
    }

    /** A dispatcher with the default settings and real parts, Alice's socket registered, begun. */
    private NodeDispatcher dispatcherReading(StreamReader reader) {
        DeliverySettings settings = new DeliverySettings(Duration.ofSeconds(10), Duration.ofSeconds(4),
                Duration.ofSeconds(10), 65_536, 5_000, GAP_WAIT, CHECK_INTERVAL, 500, Duration.ofSeconds(6),
                Duration.ofSeconds(5), 32, Duration.ofSeconds(25), Duration.ofSeconds(60));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LocalEventBus bus = new LocalEventBus();
        RecipientRegistry registry = new RecipientRegistry();
        registry.add(aliceSocket);
        NodeDispatcher created = new NodeDispatcher(reader, bus, registry, new Frames(JsonMapper.builder().build()),
                settings, meters, new Metrics(meters), new StreamTailer(bus, settings, meters, Duration.ofMillis(150)), clock);
        created.begin();
        return created;
    }

    @Test
    void eventsTheBusReordersAreHandedOutInPositionOrder() {
        StreamEvent first = committed(1);
        StreamEvent second = committed(2);

        dispatcher.turn(List.of(second));
        assertThat(aliceSocket.positions()).isEmpty();
        assertThat(dispatcher.buffered()).isEqualTo(1);

        dispatcher.turn(List.of(first));
        assertThat(aliceSocket.positions()).containsExactly(1L, 2L);
        assertThat(dispatcher.watermark()).isEqualTo(2);
        assertThat(stream.reads).as("no database read while the bus brings everything").isZero();
    }

    @Test
    void aGapThatOutlivesTheGapWaitIsFilledFromTheStream() {
        committed(1); // the bus lost it
        StreamEvent second = committed(2);

        dispatcher.turn(List.of(second));
        clock.advance(GAP_WAIT.minusMillis(1));
        dispatcher.turn(null);
        assertThat(aliceSocket.positions()).as("within the gap wait the bus may still bring it").isEmpty();

        clock.advance(Duration.ofMillis(1));
        dispatcher.turn(null);
        assertThat(aliceSocket.positions()).containsExactly(1L, 2L);
        assertThat(dispatcher.watermark()).isEqualTo(2);
        assertThat(dispatcher.buffered()).isZero();
        assertThat(stream.reads).isEqualTo(1);
    }

    @Test
    void aPositionThatNeverCommittedIsPassedOverAfterTheGapWait() {
        // Position 1 was taken by a transaction that rolled back: it will never exist.
        StreamEvent second = committed(2);

        dispatcher.turn(List.of(second));
        clock.advance(GAP_WAIT);
        dispatcher.turn(null);

        assertThat(aliceSocket.positions()).containsExactly(2L);
        dispatcher.turn(List.of(committed(3)));
        assertThat(aliceSocket.positions()).containsExactly(2L, 3L);
    }

    @Test
    void thePeriodicCheckReadsWhatTheBusNeverBrought() {
        committed(1);
        committed(2);

        clock.advance(CHECK_INTERVAL.minusMillis(1));
        dispatcher.turn(null);
        assertThat(aliceSocket.positions()).isEmpty();

        clock.advance(Duration.ofMillis(1));
        dispatcher.turn(null);
        assertThat(aliceSocket.positions()).containsExactly(1L, 2L);
    }

    @Test
    void anEventTheBusBringsAfterItsFillIsNotHandedOutTwice() {
        StreamEvent first = committed(1);
        StreamEvent second = committed(2);
        dispatcher.turn(List.of(second));
        clock.advance(GAP_WAIT);
        dispatcher.turn(null);

        dispatcher.turn(List.of(first, second));

        assertThat(aliceSocket.positions()).containsExactly(1L, 2L);
    }

    @Test
    void aClockSetBackDoesNotPostponeTheCheck() {
        clock.advance(Duration.ofHours(1));
        dispatcher.begin();
        committed(1);

        clock.reset(); // an hour back: the check due "in a second" must not wait an hour
        dispatcher.turn(null);

        assertThat(aliceSocket.positions()).containsExactly(1L);
    }

    @Test
    void anUnreadableStreamKeepsTheBufferAndIsReadAgainAtTheNextCheck() {
        StreamReader failing = new StreamReader() {
            boolean down = true;

            @Override
            public long currentPosition() {
                return stream.currentPosition();
            }

            @Override
            public List<StreamEvent> readRange(long after, long upTo, int limit) {
                if (down) {
                    down = false;
                    throw new IllegalStateException("database unreachable");
                }
                return stream.readRange(after, upTo, limit);
            }
        };
        NodeDispatcher flaky = dispatcherReading(failing);
        committed(1);
        StreamEvent second = committed(2);

        flaky.turn(List.of(second));
        clock.advance(GAP_WAIT);
        flaky.turn(null);
        assertThat(aliceSocket.positions()).isEmpty();
        assertThat(flaky.buffered()).as("kept for the next try").isEqualTo(1);

        clock.advance(CHECK_INTERVAL);
        flaky.turn(null);
        assertThat(aliceSocket.positions()).containsExactly(1L, 2L);
    }

    private StreamEvent committed(long position) {
        StreamEvent event = new StreamEvent(position, "chat:updated", UUID.randomUUID(), null,
                "{\"n\":" + position + "}", Instant.now(), List.of(alice), null);
        stream.commit(event);
        return event;
    }
}
