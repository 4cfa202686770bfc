package app.confab.message;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import app.confab.stream.EventStore;
import app.confab.protocol.Event;
import app.confab.protocol.MessageView;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Warms the hot paths of delivery once the server is ready (issue 17: a cold server was slow for
 * its first minute): the JSON writer of a {@code message:new} event (the send path's largest
 * CPU cost after JDBC) and the stream's read queries (catch-up for a user, the head), a few hundred times on one background
 * thread, so the JIT and the statement caches have seen them before the first user does. Reads only:
 * nothing is written. {@code confab.warmup.iterations} (0 turns it off). Classes loaded at start are
 * covered by the AOT cache instead (docs/PERFORMANCE.md, "Cold start").
 */
@Component
class StartupWarmup {

    private static final Logger log = LoggerFactory.getLogger(StartupWarmup.class);

    private final ObjectMapper objectMapper;
    private final EventStore store;
    private final int iterations;

    StartupWarmup(ObjectMapper objectMapper, EventStore store,
                  @Value("${confab.warmup.iterations:300}") int iterations) {
        this.objectMapper = objectMapper;
        this.store = store;
        this.iterations = iterations;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warm() {
        if (iterations <= 0) {
            return;
        }
        Thread.ofVirtual().name("startup-warmup").start(() -> {
            long started = System.nanoTime();
            try {
                UUID nobody = UUID.randomUUID();
                for (int i = 0; i < iterations; i++) {
                    MessageView message = new MessageView(UUID.randomUUID(), nobody, nobody, "warmup", "Warm Up", null,
                            "warming up " + i, "text", JsonNodeFactory.instance.objectNode(), null, null, List.of(),
                            List.of(), null, i, false, null, Instant.now(), List.of(), false, null, null, null, null);
                    objectMapper.writeValueAsString(new Event.MessageNew(message));
                    if (i % 10 == 0) {
                        store.readForUser(nobody, 0, 1);
                        store.currentPosition();
                    }
                }
                log.info("Warmed up the delivery paths in {} ms", (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                log.debug("Warm-up stopped: {}", e.toString());
            }
        });
    }
}
