package app.confab.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import app.confab.support.ServerNode;
import app.confab.support.Users.TestUser;
import app.confab.support.World;
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

    @Test
    void aRestartInTheMiddleOfAConversationLosesNothing() {
        List<Long> conversation = new ArrayList<>();
        List<Long> aliceSaw = new ArrayList<>();
        List<Long> bobSaw = new ArrayList<>();
        TestUser alice;
        TestUser bob;
        World.Chat chat;

        try (ServerNode before = ServerNode.start(database.url(), null, database.dataDir(), Map.of())) {
            alice = before.users().register("rst_a");
            bob = before.users().register("rst_b");
            chat = before.world().group("delivery test", alice, bob);
            WsClient a = WsClient.connectReady(before.baseUrl(), alice.token(), null);
            WsClient b = WsClient.connectReady(before.baseUrl(), bob.token(), null);
            for (int i = 0; i < 10; i++) {
                conversation.add(chat.send(i % 2 == 0 ? a : b, "before restart " + i).position());
                aliceSaw.add(cursor(World.nextMessage(a)));
                bobSaw.add(cursor(World.nextMessage(b)));
            }
            before.close();
            assertThat(a.awaitClose()).isEqualTo(1012);
            assertThat(b.awaitClose()).isEqualTo(1012);
        }

        try (ServerNode after = ServerNode.start(database.url(), null, database.dataDir(), Map.of())) {
            // The conversation goes on before the clients are back.
            for (int i = 0; i < 5; i++) {
                conversation.add(chat.sendVia(after.api(), alice, "while they reconnect " + i).position());
            }
            try (WsClient a = WsClient.connectWithAuthFrame(after.baseUrl(), alice.token(), aliceSaw.getLast().toString());
                 WsClient b = WsClient.connectWithAuthFrame(after.baseUrl(), bob.token(), bobSaw.getLast().toString())) {
                for (int i = 0; i < 5; i++) {
                    aliceSaw.add(cursor(World.nextMessage(a)));
                    bobSaw.add(cursor(World.nextMessage(b)));
                }
                a.awaitType("ready");
                b.awaitType("ready");
                for (int i = 0; i < 5; i++) {
                    conversation.add(chat.send(b, "after restart " + i).position());
                    aliceSaw.add(cursor(World.nextMessage(a)));
                    bobSaw.add(cursor(World.nextMessage(b)));
                }
                assertThat(a.pending()).noneMatch(frame -> "message:new".equals(frame.path("type").asString()));
                assertThat(b.pending()).noneMatch(frame -> "message:new".equals(frame.path("type").asString()));
            }
            // And the history is whole in the database.
            assertThat(after.bean(JdbcClient.class).sql("SELECT count(*) FROM messages WHERE chat_id = :chat")
                    .param("chat", chat.uuid()).query(Long.class).single()).isEqualTo(20);
        }
        assertThat(aliceSaw).containsExactlyElementsOf(conversation);
        assertThat(bobSaw).containsExactlyElementsOf(conversation);
    }

    private static long cursor(JsonNode event) {
        return Long.parseLong(event.path("cursor").asString());
    }
}
