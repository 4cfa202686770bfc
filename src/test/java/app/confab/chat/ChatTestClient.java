package app.confab.chat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

import app.confab.support.Api;
import app.confab.support.Users;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Shortcuts for chat and message tests: make chats and messages through the real API. */
public class ChatTestClient {

    private final Api api;
    private final JdbcClient jdbc;

    public ChatTestClient(Api api, JdbcClient jdbc) {
        this.api = api;
        this.jdbc = jdbc;
    }

    public JsonNode direct(Users.TestUser from, Users.TestUser to) {
        Api.Response response = api.post("/api/chats/direct", from.token(), Map.of("userId", to.id()));
        assertThat(response.status()).as(response.text()).isIn(200, 201);
        return response.body().path("chat");
    }

    public JsonNode group(Users.TestUser owner, String name, Users.TestUser... members) {
        return group(owner, name, Arrays.stream(members).map(Users.TestUser::id).toList());
    }

    public JsonNode group(Users.TestUser owner, String name, List<UUID> memberIds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("participantIds", memberIds);
        Api.Response response = api.post("/api/chats/group", owner.token(), body);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.body().path("chat");
    }

    public JsonNode send(Users.TestUser sender, String chatId, String content) {
        Api.Response response = api.post("/api/chats/" + chatId + "/messages", sender.token(), Map.of("content", content));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.body().path("message");
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
