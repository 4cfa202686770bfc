package app.confab.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import app.confab.support.ServerNode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * V82 on call log entries written by earlier versions (contentType "call", the call in metadata):
 * each becomes a call_ended system line, in the table and in its stored message:new, and an
 * ordinary message is left alone.
 */
class CallLogMigrationTest {

    private static final String CHAT = "00000000-0000-0000-0000-0000000000c1";
    private static final String CALLER = "00000000-0000-0000-0000-0000000000b1";
    private static final String ENTRY = "00000000-0000-0000-0000-0000000000a1";
    private static final String TEXT = "00000000-0000-0000-0000-0000000000a2";
    private static final String CALL = "5e0c8f2a-7b1d-4c3e-9f6a-2d4b8e1c7a90";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @Test
    void earlierCallEntriesBecomeCallEndedSystemLines() throws Exception {
        String caller = CALLER;
        try (ServerNode.SharedDatabase database = new ServerNode.SharedDatabase()) {
            Flyway.configure().dataSource(database.url(), null, null).target("81").load().migrate();
            try (Connection connection = DriverManager.getConnection(database.url());
                 Statement sql = connection.createStatement()) {
                sql.execute("INSERT INTO users (id, username, password_hash, display_name) VALUES ('%s', 'alice', 'x', 'Alice')"
                        .formatted(caller));
                sql.execute("INSERT INTO chats (id, type, name) VALUES ('" + CHAT + "', 'group', 'g')");
                String metadata = "{\"callId\":\"%s\",\"outcome\":\"ended\",\"durationSec\":125,\"video\":true}".formatted(CALL);
                sql.execute("""
                        INSERT INTO messages (id, chat_id, sender_id, position, content, content_type, metadata) VALUES
                         ('%1$s', '%3$s', '%4$s', 1, 'Video call, 2:05', 'call', CAST('%5$s' AS jsonb)),
                         ('%2$s', '%3$s', '%4$s', 2, 'hello', 'text', '{}')
                        """.formatted(ENTRY, TEXT, CHAT, caller, metadata));
                sql.execute("""
                        INSERT INTO events (position, type, chat_id, message_id, payload) VALUES
                         (1, 'message:new', '%3$s', '%1$s',
                          CAST('{"id":"%1$s","contentType":"call","content":"Video call, 2:05","metadata":%4$s,"system":null}' AS jsonb)),
                         (2, 'message:new', '%3$s', '%2$s', '{"id":"%2$s","contentType":"text","content":"hello","system":null}')
                        """.formatted(ENTRY, TEXT, CHAT, metadata));
            }

            Flyway.configure().dataSource(database.url(), null, null).load().migrate();

            try (Connection connection = DriverManager.getConnection(database.url());
                 Statement sql = connection.createStatement()) {
                try (ResultSet row = sql.executeQuery("SELECT content_type, content, metadata::text, system_event::text "
                        + "FROM messages WHERE id = '" + ENTRY + "'")) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getString(1)).isEqualTo("system");
                    assertThat(row.getString(2)).isEmpty();
                    assertThat(JSON.readTree(row.getString(3)).isEmpty()).isTrue();
                    assertCallEnded(JSON.readTree(row.getString(4)), caller);
                }
                try (ResultSet row = sql.executeQuery("SELECT payload::text FROM events WHERE position = 1")) {
                    assertThat(row.next()).isTrue();
                    JsonNode payload = JSON.readTree(row.getString(1));
                    assertThat(payload.path("contentType").asString()).isEqualTo("system");
                    assertThat(payload.path("content").asString()).isEmpty();
                    assertCallEnded(payload.path("system"), caller);
                }
                try (ResultSet row = sql.executeQuery("SELECT m.content_type, e.payload::text FROM messages m "
                        + "JOIN events e ON e.message_id = m.id WHERE m.id = '" + TEXT + "'")) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getString(1)).isEqualTo("text");
                    assertThat(JSON.readTree(row.getString(2)).path("system").isNull()).isTrue();
                }
            }
        }
    }

    private static void assertCallEnded(JsonNode system, String caller) {
        assertThat(system.path("action").asString()).isEqualTo("call_ended");
        assertThat(system.path("actorId").asString()).isEqualTo(caller);
        assertThat(system.path("targetIds").isArray()).isTrue();
        assertThat(system.path("call").path("callId").asString()).isEqualTo(CALL);
        assertThat(system.path("call").path("outcome").asString()).isEqualTo("ended");
        assertThat(system.path("call").path("durationSec").asInt()).isEqualTo(125);
        assertThat(system.path("call").path("video").asBoolean()).isTrue();
    }
}
