package app.confab.chat;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

import app.confab.support.Api;
import app.confab.support.Users;
import app.confab.support.World;
import tools.jackson.databind.JsonNode;

/**
 * Shortcuts for chat and message tests: chats and messages through {@link World} (the real API),
 * plus the two things the API cannot make cheaply (300 users, a stored block).
 */
public class ChatTestClient {

    private final World world;
    private final JdbcClient jdbc;

    public ChatTestClient(Api api, JdbcClient jdbc) {
        this.world = new World(api);
        this.jdbc = jdbc;
    }

    // The chats and messages themselves are made by World, the one fixture builder; these return
    // the server's JSON for the tests that read it field by field.

    public JsonNode direct(Users.TestUser from, Users.TestUser to) {
        return world.direct(from, to).json();
    }

    public JsonNode group(Users.TestUser owner, String name, Users.TestUser... members) {
        return world.group(name, owner, members).json();
    }

    public JsonNode group(Users.TestUser owner, String name, List<UUID> memberIds) {
        return world.group(name, owner, memberIds).json();
    }

    public JsonNode send(Users.TestUser sender, String chatId, String content) {
        return world.chat(chatId).send(sender, content).json();
    }

    /** Users inserted straight into the database: members for size tests, without 300 bcrypt hashes. */
    public List<UUID> bulkUsers(int count) {
        String prefix = Users.uniqueName("bulk");
        return jdbc.sql("""
                INSERT INTO users (username, password_hash, display_name)
                SELECT :prefix || '_' || n, 'not-a-hash', :prefix || ' ' || n FROM generate_series(1, :count) n
                RETURNING id
                """)
                .param("prefix", prefix)
                .param("count", count)
                .query(UUID.class)
                .list();
    }

    /** Records that {@code blocker} blocked {@code blocked}, as the contacts feature stores it. */
    public void block(UUID blocker, UUID blocked) {
        jdbc.sql("""
                INSERT INTO contacts (user_id, contact_id, status, requested_by) VALUES (:blocker, :blocked, 'blocked', :blocker)
                """)
                .param("blocker", blocker)
                .param("blocked", blocked)
                .update();
    }
}
