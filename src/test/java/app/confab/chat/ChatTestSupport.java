package app.confab.chat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import app.confab.stream.EventStore;
import app.confab.stream.StreamEvent;
import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** Base of the chat and message tests: the API client plus a look at each user's event stream. */
public abstract class ChatTestSupport extends IntegrationTest {

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected EventStore eventStore;

    protected ChatTestClient chats;

    @BeforeEach
    void setUpChats() {
        chats = new ChatTestClient(api, jdbc);
    }

    /** A stream event as a user sees it, with its data parsed. */
    public record Seen(long position, String type, JsonNode data) {
    }

    /** The events of one chat that this user may see, oldest first (what resume-from-cursor delivers). */
    protected List<Seen> eventsSeenBy(UUID userId, String chatId) {
        return eventStore.readForUser(userId, 0, 100_000).stream()
                .filter(event -> event.chatId() != null && event.chatId().toString().equals(chatId))
                .map(ChatTestSupport::seen)
                .toList();
    }

    protected List<Seen> eventsSeenBy(UUID userId, String chatId, String type) {
        return eventsSeenBy(userId, chatId).stream().filter(event -> event.type().equals(type)).toList();
    }

    private static Seen seen(StreamEvent event) {
        return new Seen(event.position(), event.type(), Api.json().readTree(event.payload()));
    }

    protected static String id(JsonNode node) {
        return node.path("id").asString();
    }
}
