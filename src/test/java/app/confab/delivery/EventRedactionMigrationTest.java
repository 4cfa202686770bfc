package app.confab.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import app.confab.support.ServerNode;

/**
 * V65 on a stream written by earlier versions: what deletes and edits left in {@code events} is
 * redacted once (a deleted message keeps only its message:deleted, an edited one shows its current
 * text with only its latest edit, replies' previews follow), and read receipts are left alone.
 */
class EventRedactionMigrationTest {

    private static final String CHAT = "00000000-0000-0000-0000-0000000000c1";
    private static final String DELETED = "00000000-0000-0000-0000-0000000000a1";
    private static final String EDITED = "00000000-0000-0000-0000-0000000000a2";

    @Test
    void redactsWhatEarlierVersionsLeftInTheStream() throws Exception {
        try (ServerNode.SharedDatabase database = new ServerNode.SharedDatabase()) {
            Flyway.configure().dataSource(database.url(), null, null).target("41").load().migrate();
            try (Connection connection = DriverManager.getConnection(database.url());
                 Statement sql = connection.createStatement()) {
                sql.execute("INSERT INTO chats (id, type, name) VALUES ('" + CHAT + "', 'group', 'g')");
                sql.execute("""
                        INSERT INTO messages (id, chat_id, position, content, is_deleted, is_edited, edited_at, reply_to_id) VALUES
                         ('%1$s', '%3$s', 1, '', TRUE, FALSE, NULL, NULL),
                         ('%2$s', '%3$s', 2, 'final text', FALSE, TRUE, now(), NULL),
                         ('00000000-0000-0000-0000-0000000000a3', '%3$s', 3, 're deleted', FALSE, FALSE, NULL, '%1$s'),
                         ('00000000-0000-0000-0000-0000000000a4', '%3$s', 4, 're edited', FALSE, FALSE, NULL, '%2$s')
                        """.formatted(DELETED, EDITED, CHAT));
                sql.execute("""
                        INSERT INTO events (position, type, chat_id, payload) VALUES
                         (1, 'message:new', '%3$s', '{"id":"%1$s","content":"SECRET deleted","replyTo":null}'),
                         (2, 'message:new', '%3$s', '{"id":"%2$s","content":"OLDONE","isEdited":false,"replyTo":null}'),
                         (3, 'message:new', '%3$s', '{"id":"00000000-0000-0000-0000-0000000000a3","content":"re deleted","replyTo":{"id":"%1$s","content":"SECRET deleted","isDeleted":false}}'),
                         (4, 'message:new', '%3$s', '{"id":"00000000-0000-0000-0000-0000000000a4","content":"re edited","replyTo":{"id":"%2$s","content":"OLDONE","isDeleted":false}}'),
                         (5, 'message:edited', '%3$s', '{"messageId":"%2$s","content":"OLDTWO"}'),
                         (6, 'message:edited', '%3$s', '{"messageId":"%2$s","content":"final text"}'),
                         (7, 'message:edited', '%3$s', '{"messageId":"%1$s","content":"SECRET edit"}'),
                         (8, 'reaction:added', '%3$s', '{"messageId":"%1$s"}'),
                         (9, 'message:deleted', '%3$s', '{"messageId":"%1$s"}'),
                         (10, 'message:read', '%3$s', '{"messageId":"%1$s","unreadCount":0}')
                        """.formatted(DELETED, EDITED, CHAT));
            }

            Flyway.configure().dataSource(database.url(), null, null).load().migrate();

            Map<Long, String> events = new LinkedHashMap<>();
            try (Connection connection = DriverManager.getConnection(database.url());
                 Statement sql = connection.createStatement();
                 ResultSet rows = sql.executeQuery("SELECT position, type || ' ' || payload::text FROM events ORDER BY position")) {
                while (rows.next()) {
                    events.put(rows.getLong(1), rows.getString(2));
                }
            }
            assertThat(events.keySet()).containsExactly(2L, 3L, 4L, 6L, 9L, 10L);
            assertThat(events.values().toString()).doesNotContain("SECRET", "OLDONE", "OLDTWO");
            assertThat(events.get(2L)).contains("\"content\": \"final text\"", "\"isEdited\": true");
            assertThat(events.get(3L)).contains("\"content\": \"\"", "\"isDeleted\": true");
            assertThat(events.get(4L)).contains("\"content\": \"final text\"");
            assertThat(events.get(10L)).startsWith("message:read");
        }
    }
}
