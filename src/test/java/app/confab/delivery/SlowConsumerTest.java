package app.confab.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import app.confab.support.ServerNode;
import app.confab.support.Users.TestUser;
import app.confab.support.World;
import app.confab.support.WsClient;
import app.confab.stream.EventStore;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stops reading cannot make the server buffer without bound: its queue overflows,
 * the server drops the connection, and the client resumes from its cursor without losing anything.
 */
class SlowConsumerTest {

    @Test
    void aClientThatStopsReadingIsDroppedAndResumesWithoutLoss() throws Exception {
        try (ServerNode.SharedDatabase database = new ServerNode.SharedDatabase();
             ServerNode node = ServerNode.start(database.url(), null, database.dataDir(),
                     // A paused client answers no ping: the idle timeout (10 s) must not close it before
                     // its queue overflows, however slow the machine is at writing the messages.
                     Map.of("confab.delivery.outbound-queue-limit", "16", "confab.delivery.idle-timeout", "5m"))) {
            TestUser alice = node.users().register("slow_a");
            TestUser bob = node.users().register("slow_b");
            World.Chat chat = node.world().group("test group", alice, bob);
            MeterRegistry meters = node.bean(MeterRegistry.class);

            WsClient slow = WsClient.connectReady(node.baseUrl(), bob.token(), null);
            String cursor = Long.toString(node.bean(EventStore.class).currentPosition());
            slow.pause();
            String big = "x".repeat(9_000);
            List<World.Message> sent = new ArrayList<>();
            while (meters.counter("confab.websocket.slow.consumer.closes").count() == 0 && sent.size() < 5_000) {
                sent.add(chat.send(alice, big + " " + sent.size()));
            }
            assertThat(meters.counter("confab.websocket.slow.consumer.closes").count()).isEqualTo(1);
            slow.abort();
            for (int i = 0; i < 10; i++) {
                sent.add(chat.send(alice, "after " + i));
            }

            try (WsClient again = WsClient.connectWithAuthFrame(node.baseUrl(), bob.token(), cursor)) {
                for (World.Message expected : sent) {
                    JsonNode event = again.nextDurable();
                    assertThat(event.path("cursor").asString()).isEqualTo(Long.toString(expected.position()));
                }
                again.awaitType("ready");
            }
        }
    }
}
