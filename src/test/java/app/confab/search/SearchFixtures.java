package app.confab.search;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

import app.confab.account.TokenService;
import app.confab.support.Users;

/**
 * Chats and messages for search tests, written straight into the tables the chat feature owns
 * (V1 schema), the way that feature stores them: content HTML-escaped, markers kept, positions
 * from the event stream sequence, deletes blanking the content.
 */
class SearchFixtures {

    private final JdbcClient jdbc;
    private final TokenService tokens;

    SearchFixtures(JdbcClient jdbc, TokenService tokens) {
        this.jdbc = jdbc;
        this.tokens = tokens;
    }

    /**
     * A signed-in user made without the registration endpoint: its bcrypt hashing costs about a
     * second per user on a busy machine, and these tests need dozens of users, none of whom logs in.
     */
    Users.TestUser user(String prefix) {
        UUID id = UUID.randomUUID();
        UUID sessionId = UUID.randomUUID();
        String username = Users.uniqueName(prefix);
        jdbc.sql("INSERT INTO users (id, username, password_hash, display_name) VALUES (:id, :username, 'x', :username)")
                .param("id", id).param("username", username)
                .update();
        jdbc.sql("""
                INSERT INTO auth_sessions (id, user_id, current_token_id, expires_at)
                VALUES (:id, :user, :token, now() + interval '1 day')
                """)
                .param("id", sessionId).param("user", id).param("token", UUID.randomUUID())
                .update();
        return new Users.TestUser(id, username, tokens.accessToken(id, sessionId), null);
    }

    /**
     * A group chat; its name is stored escaped, as the chat feature stores it, and its slug is the
     * name in lower case with dashes, made unique with a suffix.
     */
    UUID group(String name, Users.TestUser owner, Users.TestUser... members) {
        UUID chatId = UUID.randomUUID();
        String slug = name.toLowerCase().replaceAll("[^a-z0-9]+", "-") + "-" + chatId.toString().substring(0, 8);
        jdbc.sql("INSERT INTO chats (id, type, name, slug, owner_id) VALUES (:id, 'group', :name, :slug, :owner)")
                .param("id", chatId).param("name", escape(name)).param("slug", slug).param("owner", owner.id())
                .update();
        join(chatId, owner, "owner");
        for (Users.TestUser member : members) {
            join(chatId, member, "member");
        }
        return chatId;
    }

    UUID direct(Users.TestUser a, Users.TestUser b) {
        UUID chatId = UUID.randomUUID();
        String key = a.id().compareTo(b.id()) < 0 ? a.id() + ":" + b.id() : b.id() + ":" + a.id();
        jdbc.sql("INSERT INTO chats (id, type, direct_key) VALUES (:id, 'direct', :key)")
                .param("id", chatId).param("key", key)
                .update();
        join(chatId, a, "member");
        join(chatId, b, "member");
        return chatId;
    }

    void setDisplayName(Users.TestUser user, String displayName) {
        jdbc.sql("UPDATE users SET display_name = :name WHERE id = :id").param("name", displayName).param("id", user.id())
                .update();
    }

    String slug(UUID chatId) {
        return jdbc.sql("SELECT slug FROM chats WHERE id = :id").param("id", chatId).query(String.class).single();
    }

    void join(UUID chatId, Users.TestUser user, String role) {
        jdbc.sql("INSERT INTO chat_participants (chat_id, user_id, role) VALUES (:chat, :user, :role)")
                .param("chat", chatId).param("user", user.id()).param("role", role)
                .update();
    }

    void leave(UUID chatId, Users.TestUser user) {
        jdbc.sql("UPDATE chat_participants SET left_at = now() WHERE chat_id = :chat AND user_id = :user")
                .param("chat", chatId).param("user", user.id())
                .update();
    }

    void deleteChat(UUID chatId) {
        jdbc.sql("UPDATE chats SET is_deleted = TRUE, deleted_at = now() WHERE id = :id").param("id", chatId).update();
    }

    /** Sends {@code text} as typed (markers and all); it is stored escaped, as the chat feature stores it. */
    UUID message(UUID chatId, Users.TestUser sender, String text) {
        return message(chatId, sender, text, Instant.now());
    }

    UUID message(UUID chatId, Users.TestUser sender, String text, Instant createdAt) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO messages (id, chat_id, sender_id, position, content, created_at)
                VALUES (:id, :chat, :sender, nextval('event_position_seq'), :content, :createdAt)
                """)
                .param("id", id).param("chat", chatId).param("sender", sender.id())
                .param("content", escape(text))
                .param("createdAt", OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC))
                .update();
        return id;
    }

    void edit(UUID messageId, String text) {
        jdbc.sql("UPDATE messages SET content = :content, is_edited = TRUE, edited_at = now() WHERE id = :id")
                .param("id", messageId).param("content", escape(text))
                .update();
    }

    void delete(UUID messageId) {
        jdbc.sql("UPDATE messages SET content = '', is_deleted = TRUE, deleted_at = now() WHERE id = :id")
                .param("id", messageId)
                .update();
    }

    void attachImage(UUID messageId, Users.TestUser uploader) {
        jdbc.sql("""
                INSERT INTO attachments (uploader_id, message_id, chat_id, file_name, file_type, size_bytes, storage_key)
                SELECT :uploader, m.id, m.chat_id, 'photo.png', 'image/png', 1234, 'test/' || m.id
                FROM messages m WHERE m.id = :id
                """)
                .param("uploader", uploader.id()).param("id", messageId)
                .update();
    }

    List<String> storedContent(UUID messageId) {
        return jdbc.sql("SELECT content FROM messages WHERE id = :id").param("id", messageId).query(String.class).list();
    }

    /** The escaping the chat feature applies on write: the five HTML-significant characters. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }
}
