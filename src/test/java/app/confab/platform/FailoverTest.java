package app.confab.platform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.Prerequisites;
import app.confab.support.ServerNode;
import app.confab.support.TestDatabase;
import app.confab.support.Users;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL failover loses no acknowledged message (issue 14). A primary and a synchronous
 * streaming standby (initdb + pg_basebackup, {@code synchronous_standby_names = '*'},
 * {@code synchronous_commit = on}) run on this machine; Confab's {@code DATABASE_URL} names both
 * hosts. Several clients send continuously and retry every send that did not get an answer with
 * the same clientMessageId; the primary is killed (immediate stop: a crash), the standby promoted.
 * The same server process, without a restart, carries on: every acknowledged message is in the
 * history exactly once and in each sender's order, and a member's open WebSocket received each of
 * them once, without a reload.
 */
class FailoverTest {

    private java.nio.file.Path parent;
    private LocalPostgres primary;
    private LocalPostgres standby;
    private ServerNode confab;

    private record Acked(String messageId, long position, int sender, int sequence) {
    }

    @AfterEach
    void stopEverything() {
        if (confab != null) {
            confab.close();
        }
        if (standby != null) {
            standby.stopQuietly();
        }
        if (primary != null) {
            primary.stopQuietly();
        }
        LocalPostgres.deleteRecursively(parent);
    }

    @Test
    void killingThePrimaryAndPromotingTheSynchronousStandbyLosesNoAcknowledgedMessage() throws Exception {
        java.nio.file.Path binaries = LocalPostgres.findBinaries();
        Prerequisites.require(binaries != null,
                "PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not found under /usr/lib/postgresql/*/bin");
        parent = LocalPostgres.newParentDirectory();
        primary = LocalPostgres.startPrimary(binaries, parent, "primary");
        standby = primary.startReplica(parent, "standby");
        primary.reconfigure("synchronous_standby_names = '*'\nsynchronous_commit = on\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> "sync".equals(queryOne(primary.jdbcUrl(),
                "SELECT coalesce(max(sync_state), '') FROM pg_stat_replication")));

        String databaseUrl = "postgresql://postgres@127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port()
                + "/postgres";
        confab = ServerNode.start(databaseUrl, null, TestDatabase.newDataDir(), Map.of());
        Api api = confab.api();
        Users users = confab.users();
        int senders = 3;
        List<Users.TestUser> people = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            people.add(users.register("fo_" + i));
        }
        Users.TestUser reader = users.register("fo_reader");
        List<UUID> members = new ArrayList<>(people.stream().map(Users.TestUser::id).toList());
        members.add(reader.id());
        Api.Response group = api.post("/api/chats/group", people.getFirst().token(),
                Map.of("name", "failover", "participantIds", members.subList(1, members.size())));
        assertThat(group.status()).as(group.text()).isEqualTo(201);
        String chatId = group.body().path("chat").path("id").asString();

        List<Acked> acked = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger retries = new AtomicInteger();
        try (WsClient readerSocket = WsClient.connectReady(confab.baseUrl(), reader.token(), null)) {
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                clients.add(CompletableFuture.runAsync(() -> {
                    for (int sequence = 0; sending.get(); sequence++) {
                        acked.add(sendUntilAcknowledged(api, people.get(sender), chatId, sender, sequence, retries));
                        pause(30); // a steady sender, not a flood: pacing, nothing to wait for
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 30);

            primary.stop(true);
            int ackedAtKill = acked.size();
            standby.promote();
            await().atMost(Duration.ofSeconds(90)).until(() -> acked.size() >= ackedAtKill + 30);
            sending.set(false);
            for (CompletableFuture<Void> client : clients) {
                client.get(120, TimeUnit.SECONDS);
            }
            assertThat(retries.get()).as("the clients went through the outage (sends answered 503 or unanswered)").isPositive();
            System.out.printf("failover: %d messages acknowledged, %d sends retried%n", acked.size(), retries.get());

            // The history on the promoted standby: every acknowledged message once, in each sender's order.
            List<JsonNode> history = history(api, reader, chatId);
            List<String> historyIds = history.stream().map(message -> message.path("id").asString()).toList();
            assertThat(new HashSet<>(historyIds)).as("no duplicates in the history").hasSize(historyIds.size());
            Set<String> ackedIds = new HashSet<>();
            for (Acked message : acked) {
                ackedIds.add(message.messageId());
            }
            assertThat(historyIds).as("every acknowledged message survived the failover").containsAll(ackedIds);
            assertThat(ackedIds).as("nothing that was not acknowledged").containsAll(historyIds);
            for (int sender = 0; sender < senders; sender++) {
                int from = sender;
                List<String> sentInOrder = acked.stream().filter(message -> message.sender() == from)
                        .sorted(java.util.Comparator.comparingInt(Acked::sequence)).map(Acked::messageId).toList();
                List<String> storedInOrder = history.stream()
                        .filter(message -> sentInOrder.contains(message.path("id").asString()))
                        .map(message -> message.path("id").asString()).toList();
                assertThat(storedInOrder).as("sender %d's messages in the order sent", from).containsExactlyElementsOf(sentInOrder);
            }

            // The reader's socket stayed open through the failover and got each message once.
            Map<String, Integer> seen = new LinkedHashMap<>();
            while (!seen.keySet().containsAll(ackedIds)) {
                JsonNode frame = readerSocket.await(f -> "message:new".equals(f.path("type").asString()), WsClient.WAIT);
                seen.merge(frame.path("data").path("id").asString(), 1, Integer::sum);
            }
            for (JsonNode frame : readerSocket.pending()) {
                if ("message:new".equals(frame.path("type").asString())) {
                    seen.merge(frame.path("data").path("id").asString(), 1, Integer::sum);
                }
            }
            assertThat(seen.values()).as("each message reached the open socket once").allMatch(count -> count == 1);
            assertThat(readerSocket.isClosed()).as("no reconnect or reload was needed").isFalse();
        }
        assertThat(queryOne(standby.jdbcUrl(), "SELECT pg_is_in_recovery()::text")).isEqualTo("false");
    }

    /** message send with a clientMessageId, retried with the same id until the server answers 200/201. */
    private static Acked sendUntilAcknowledged(Api api, Users.TestUser sender, String chatId, int senderIndex, int sequence,
                                               AtomicInteger retries) {
        String clientMessageId = "fo-" + senderIndex + "-" + sequence + "-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("content", "sender " + senderIndex + " message " + sequence, "clientMessageId", clientMessageId);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Api.Response response = api.post("/api/chats/" + chatId + "/messages", sender.token(), body);
                if (response.status() == 200 || response.status() == 201) {
                    JsonNode message = response.body().path("message");
                    return new Acked(message.path("id").asString(), message.path("position").asLong(), senderIndex, sequence);
                }
                assertThat(response.status()).as("only 'try again' during a failover: " + response.text()).isEqualTo(503);
            } catch (IllegalStateException e) {
                // The request itself failed (timeout): its outcome is unknown, so retry with the same id.
            }
            retries.incrementAndGet();
            pause(200); // a client's back-off before it retries, as the web client does
        }
        throw new AssertionError("Send " + clientMessageId + " was never acknowledged");
    }

    private static List<JsonNode> history(Api api, Users.TestUser reader, String chatId) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get("/api/chats/" + chatId + "/messages?limit=100" + (cursor == null ? "" : "&cursor=" + cursor),
                    reader.token());
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            page.body().path("data").forEach(all::add);
            cursor = page.body().path("hasMore").asBoolean() ? page.body().path("nextCursor").asString() : null;
        } while (cursor != null);
        all.sort(java.util.Comparator.comparingLong(message -> message.path("position").asLong()));
        return all;
    }

    private static String queryOne(String jdbcUrl, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Pacing of the simulated clients (their think time and back-off), not a wait for a condition. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
