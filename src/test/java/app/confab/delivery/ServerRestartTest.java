package app.confab.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.support.ServerNode;
import app.confab.support.Users.TestUser;
import app.confab.support.WsClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Fault test 3 of issue 3: a server restart in the middle of a conversation loses nothing. */
class ServerRestartTest {

    private static ServerNode.SharedDatabase database;

    @BeforeAll
    static void startDatabase() {
        database = new ServerNode.SharedDatabase();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        database.close();
    }

    private static TestChats chatsOn(ServerNode node) {
        return new TestChats(node.bean(JdbcClient.class), node.bean(TransactionTemplate.class), node.bean(EventStore.class));
    }

    @Test
    void aRestartInTheMiddleOfAConversationLosesNothing() {
        List<Long> conversation = new ArrayList<>();
        List<Long> aliceSaw = new ArrayList<>();
        List<Long> bobSaw = new ArrayList<>();
        TestUser alice;
        TestUser bob;
        UUID chat;

        try (ServerNode before = ServerNode.start(database.url(), null, database.dataDir(), Map.of())) {
            alice = before.users().register("rst_a");
            bob = before.users().register("rst_b");
            chat = chatsOn(before).group(alice.id(), bob.id());
            WsClient a = WsClient.connectReady(before.baseUrl(), alice.token(), null);
            WsClient b = WsClient.connectReady(before.baseUrl(), bob.token(), null);
            for (int i = 0; i < 10; i++) {
                UUID sender = i % 2 == 0 ? alice.id() : bob.id();
                conversation.add(chatsOn(before).send(chat, sender, "before restart " + i).position());
                aliceSaw.add(cursor(a.nextDurable()));
                bobSaw.add(cursor(b.nextDurable()));
            }
            before.close();
            assertThat(a.awaitClose()).isEqualTo(1001);
            assertThat(b.awaitClose()).isEqualTo(1001);
        }

        try (ServerNode after = ServerNode.start(database.url(), null, database.dataDir(), Map.of())) {
            // The conversation goes on before the clients are back.
            for (int i = 0; i < 5; i++) {
                conversation.add(chatsOn(after).send(chat, alice.id(), "while bob reconnects " + i).position());
            }
            try (WsClient a = WsClient.connectWithAuthFrame(after.baseUrl(), alice.token(), aliceSaw.getLast().toString());
                 WsClient b = WsClient.connectWithAuthFrame(after.baseUrl(), bob.token(), bobSaw.getLast().toString())) {
                for (int i = 0; i < 5; i++) {
                    aliceSaw.add(cursor(a.nextDurable()));
                    bobSaw.add(cursor(b.nextDurable()));
                }
                a.awaitType("ready");
                b.awaitType("ready");
                for (int i = 0; i < 5; i++) {
                    conversation.add(chatsOn(after).send(chat, bob.id(), "after restart " + i).position());
                    aliceSaw.add(cursor(a.nextDurable()));
                    bobSaw.add(cursor(b.nextDurable()));
                }
                assertThat(a.pending()).noneMatch(frame -> frame.has("cursor"));
                assertThat(b.pending()).noneMatch(frame -> frame.has("cursor"));
            }
            // And the history is whole in the database.
            assertThat(after.bean(JdbcClient.class).sql("SELECT count(*) FROM messages WHERE chat_id = :chat")
                    .param("chat", chat).query(Long.class).single()).isEqualTo(20);
        }
        assertThat(aliceSaw).containsExactlyElementsOf(conversation);
        assertThat(bobSaw).containsExactlyElementsOf(conversation);
    }

    private static long cursor(JsonNode event) {
        assertThat(event.path("type").asString()).isEqualTo("message:new");
        return Long.parseLong(event.path("cursor").asString());
    }
}
