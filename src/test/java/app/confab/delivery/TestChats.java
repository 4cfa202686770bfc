package app.confab.delivery;

import java.time.Instant;

import java.util.List;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.protocol.MessageView;
import app.confab.protocol.Event;
import app.confab.stream.EventStore;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Chats and messages for delivery tests, written the way the chat feature writes them (rows and
 * the matching stream event in one transaction, through {@link EventStore}) but without its rules
 * and rate limits, for tests of the protocol rather than of messaging.
 */
class TestChats {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final EventStore events;

    TestChats(JdbcClient jdbc, TransactionTemplate transactions, EventStore events) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
    }

    record Sent(UUID messageId, long position) {
    }

    UUID group(UUID... members) {
        UUID chatId = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO chats (id, type, name, owner_id) VALUES (:id, 'group', 'test group', :owner)")
                    .param("id", chatId).param("owner", members[0]).update();
            for (UUID member : members) {
                jdbc.sql("INSERT INTO chat_participants (chat_id, user_id, role) VALUES (:chat, :user, :role)")
                        .param("chat", chatId).param("user", member)
                        .param("role", member.equals(members[0]) ? "owner" : "member").update();
            }
        });
        return chatId;
    }

    Sent send(UUID chatId, UUID senderId, String content) {
        return transactions.execute(status -> {
            long position = events.reservePosition();
            UUID messageId = UUID.randomUUID();
            Instant now = Instant.now();
            jdbc.sql("""
                    INSERT INTO messages (id, chat_id, sender_id, position, content, created_at)
                    VALUES (:id, :chat, :sender, :position, :content, :now)
                    """)
                    .param("id", messageId).param("chat", chatId).param("sender", senderId)
                    .param("position", position).param("content", content)
                    .param("now", java.sql.Timestamp.from(now)).update();
            MessageView message = new MessageView(messageId, chatId, senderId, null, null, null, content, "text",
                    JsonNodeFactory.instance.objectNode(), null, null, List.of(), List.of(), null, position, false, null, now,
                    List.of(), false, null, null, null, null);
            events.append(position, new Event.MessageNew(message));
            return new Sent(messageId, position);
        });
    }

    List<Sent> sendMany(UUID chatId, UUID senderId, String prefix, int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> send(chatId, senderId, prefix + " " + i))
                .toList();
    }
}
