package app.confab.stream;

import java.util.List;

/**
 * What a node's dispatcher reads of the stream to fill gaps (EventStore is the implementation; a
 * dispatcher's unit test gives it a list).
 */
public interface StreamReader {

    /** The newest position handed out so far (0 on an empty stream). */
    long currentPosition();

    /** At most {@code limit} events in (after, upTo], oldest first, each with its live audience. */
    List<StreamEvent> readRange(long after, long upTo, int limit);
}
