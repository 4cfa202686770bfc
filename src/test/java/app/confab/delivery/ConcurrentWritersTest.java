package app.confab.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.protocol.MessageView;
import app.confab.protocol.Event;
import app.confab.support.Api;
import app.confab.support.Cluster;
import app.confab.support.ServerNode;
import app.confab.support.Users.TestUser;
import app.confab.support.World;
import app.confab.support.WsClient;
import app.confab.stream.EventStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery guarantee under concurrent writers (issue 17): many senders on two nodes write to
 * several chats at once (so the group-commit batches mix chats and nodes), while one slow
 * transaction holds a LOW position open. Receivers on both nodes — one of them moving to the other
 * node half-way, resuming from its cursor — must see every event of every chat exactly once, in
 * position order per chat: a higher position must never be delivered before the slow low one
 * commits and the low one then skipped as a "gap".
 */
class ConcurrentWritersTest {

    private static final int CHATS = 3;
    private static final int SENDERS = 8;
    private static final int MESSAGES_PER_SENDER = 25;

    private static Cluster cluster;
    private static ServerNode nodeA;
    private static ServerNode nodeB;

    @BeforeAll
    static void startNodes() {
        cluster = Cluster.withRedis();
        nodeA = cluster.node("a");
        nodeB = cluster.node("b");
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyMemberGetsEveryEventOfItsChatsOnceAndInOrderWhileWritersInterleave() throws Exception {
        List<TestUser> senders = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            senders.add((i % 2 == 0 ? nodeA : nodeB).users().register("cw_s" + i));
        }
        TestUser onA = nodeA.users().register("cw_ra");
        TestUser movesFromBToA = nodeB.users().register("cw_rb");
        List<World.Chat> chats = new ArrayList<>();
        for (int c = 0; c < CHATS; c++) {
            List<TestUser> members = new ArrayList<>(senders.subList(1, senders.size()));
            members.add(onA);
            members.add(movesFromBToA);
            chats.add(nodeA.world().group("delivery test", senders.getFirst(), members.toArray(TestUser[]::new)));
        }

        WsClient receiverA = WsClient.connectReady(nodeA.baseUrl(), onA.token(), null);
        WsClient receiverB = WsClient.connectReady(nodeB.baseUrl(), movesFromBToA.token(), null);

        // The slow writer: takes a low position under the stream lock and keeps its transaction open
        // while every sender below starts writing.
        CountDownLatch slowHasPosition = new CountDownLatch(1);
        CountDownLatch releaseSlow = new CountDownLatch(1);
        World.Chat slowChat = chats.getFirst();
        CompletableFuture<Long> slow = CompletableFuture.supplyAsync(
                () -> slowSend(slowChat.uuid(), senders.getFirst().id(), slowHasPosition, releaseSlow));
        assertThat(slowHasPosition.await(15, TimeUnit.SECONDS)).isTrue();

        // chatId -> positions the writers were told are stored.
        Map<String, Set<Long>> expected = new ConcurrentHashMap<>();
        chats.forEach(chat -> expected.put(chat.id(), java.util.Collections.synchronizedSet(new TreeSet<>())));
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < SENDERS; s++) {
                TestUser sender = senders.get(s);
                int offset = s;
                // Each sender writes through both nodes, to every chat in turn.
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int m = 0; m < MESSAGES_PER_SENDER; m++) {
                        World.Chat chat = chats.get((m + offset) % CHATS);
                        Api api = (m % 2 == 0 ? nodeA : nodeB).api();
                        expected.get(chat.id()).add(chat.sendVia(api, sender, sender.username() + " " + m).position());
                    }
                }, threads));
            }
            // The writers are now queued behind the slow transaction (or would overtake it without
            // the ordering point); give them time to pile up, then let it commit.
            // Nothing observable says "every writer is queued" (they may equally be overtaking without the
            // ordering point, which is what this test would catch): a fixed head start it is.
            Thread.sleep(500);
            releaseSlow.countDown();
            long slowPosition = slow.get(30, TimeUnit.SECONDS);
            expected.get(slowChat.id()).add(slowPosition);
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        }
        int total = expected.values().stream().mapToInt(Set::size).sum();
        assertThat(total).isEqualTo(SENDERS * MESSAGES_PER_SENDER + 1);

        Map<String, List<Long>> atA = new HashMap<>();
        collect(receiverA, total, atA);
        // The second receiver takes half on node B, then resumes on node A from its cursor.
        Map<String, List<Long>> atB = new LinkedHashMap<>();
        long cursor = collect(receiverB, total / 2, atB);
        receiverB.close();
        try (WsClient resumed = WsClient.connectWithAuthFrame(nodeA.baseUrl(), movesFromBToA.token(), Long.toString(cursor))) {
            collect(resumed, total - total / 2, atB);
            assertThat(messagesIn(resumed.pending())).as("nothing more after every event").isZero();
        }
        assertThat(messagesIn(receiverA.pending())).as("nothing more after every event").isZero();
        receiverA.close();

        for (Map<String, List<Long>> received : List.of(atA, atB)) {
            for (World.Chat chat : chats) {
                List<Long> got = received.getOrDefault(chat.id(), List.of());
                assertThat(got).as("chat %s: every event once, in position order", chat.id())
                        .containsExactlyElementsOf(new ArrayList<>(expected.get(chat.id())));
            }
        }
    }

    /** A message written like the chat feature writes it, whose transaction waits for a latch before committing. */
    private static long slowSend(UUID chatId, UUID senderId, CountDownLatch hasPosition, CountDownLatch release) {
        EventStore events = nodeA.bean(EventStore.class);
        JdbcClient jdbc = nodeA.bean(JdbcClient.class);
        return nodeA.bean(TransactionTemplate.class).execute(status -> {
            long position = events.reservePosition();
            hasPosition.countDown();
            try {
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            UUID id = UUID.randomUUID();
            Instant now = Instant.now();
            jdbc.sql("""
                    INSERT INTO messages (id, chat_id, sender_id, position, content, created_at)
                    VALUES (:id, :chat, :sender, :position, 'slow', :now)
                    """)
                    .param("id", id).param("chat", chatId).param("sender", senderId)
                    .param("position", position).param("now", java.sql.Timestamp.from(now)).update();
            events.append(position, new Event.MessageNew(new MessageView(id, chatId, senderId, null, null, null, "slow",
                    "text", JsonNodeFactory.instance.objectNode(), null, null, List.of(), List.of(), null, position,
                    false, null, now, List.of(), false, null, null, null, null)));
            return position;
        });
    }

    private static long messagesIn(List<JsonNode> frames) {
        return frames.stream().filter(frame -> "message:new".equals(frame.path("type").asString())).count();
    }

    /** Takes the next {@code count} message:new frames into chatId -> positions; returns the last cursor. */
    private static long collect(WsClient ws, int count, Map<String, List<Long>> byChat) {
        long last = -1;
        for (int i = 0; i < count; i++) {
            JsonNode frame = World.nextMessage(ws);
            last = Long.parseLong(frame.path("cursor").asString());
            byChat.computeIfAbsent(frame.path("data").path("chatId").asString(), ignored -> new ArrayList<>()).add(last);
        }
        return last;
    }
}
