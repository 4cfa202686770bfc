package app.confab.delivery;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.Users.TestUser;
import app.confab.support.World;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LongPollTest extends DeliveryTest {

    @Test
    void withoutACursorReturnsNoEventsAndTheCurrentPosition() {
        TestUser alice = users.register("lp_nc");
        long before = events.currentPosition();
        Api.Response response = api.get("/api/events", alice.token());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("events").isArray()).isTrue();
        assertThat(response.body().path("events").size()).isZero();
        assertThat(Long.parseLong(response.body().path("cursor").asString())).isGreaterThanOrEqualTo(before);
    }

    @Test
    void returnsWaitingEventsAtOnceAsTheSameObjectsTheWebSocketSends() {
        TestUser alice = users.register("lp_now_a");
        TestUser bob = users.register("lp_now_b");
        World.Chat chat = world.group("test group", alice, bob);
        long cursor = events.currentPosition();
        World.Message first = chat.send(alice, "first");
        World.Message second = chat.send(alice, "second");

        Api.Response response = api.get("/api/events?cursor=" + cursor + "&timeout=20", bob.token());
        assertThat(response.status()).isEqualTo(200);
        JsonNode list = response.body().path("events");
        assertThat(list.size()).isEqualTo(2);
        assertThat(list.get(0).path("type").asString()).isEqualTo("message:new");
        assertThat(list.get(0).path("cursor").asString()).isEqualTo(Long.toString(first.position()));
        assertThat(list.get(0).path("data").path("id").asString()).isEqualTo(first.id());
        assertThat(list.get(1).path("cursor").asString()).isEqualTo(Long.toString(second.position()));
        assertThat(Long.parseLong(response.body().path("cursor").asString())).isGreaterThanOrEqualTo(second.position());
    }

    @Test
    void waitsForTheNextEvent() throws Exception {
        TestUser alice = users.register("lp_wait_a");
        TestUser bob = users.register("lp_wait_b");
        World.Chat chat = world.group("test group", alice, bob);
        String cursor = api.get("/api/events", bob.token()).body().path("cursor").asString();

        CompletableFuture<Api.Response> poll = CompletableFuture.supplyAsync(
                () -> api.get("/api/events?cursor=" + cursor + "&timeout=25", bob.token()));
        awaitWaiting(bob.id());
        World.Message sent = chat.send(alice, "while you waited");

        Api.Response response = poll.get(20, TimeUnit.SECONDS);
        assertThat(response.status()).isEqualTo(200);
        JsonNode durable = firstDurable(response.body().path("events"));
        assertThat(durable.path("cursor").asString()).isEqualTo(Long.toString(sent.position()));
    }

    @Test
    void returnsNoEventsAndAUsableCursorWhenTheWaitTimesOut() {
        TestUser bob = users.register("lp_to");
        String cursor = api.get("/api/events", bob.token()).body().path("cursor").asString();
        Api.Response response = api.get("/api/events?cursor=" + cursor + "&timeout=1", bob.token());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("events").size()).isZero();
        assertThat(Long.parseLong(response.body().path("cursor").asString())).isGreaterThanOrEqualTo(Long.parseLong(cursor));
    }

    @Test
    void aNonMemberGetsNoneOfAChatsEvents() {
        TestUser alice = users.register("lp_nm_a");
        TestUser bob = users.register("lp_nm_b");
        TestUser eve = users.register("lp_nm_e");
        World.Chat chat = world.group("test group", alice, bob);
        long cursor = events.currentPosition();
        chat.send(alice, "not for eve");
        Api.Response response = api.get("/api/events?cursor=" + cursor + "&timeout=0", eve.token());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).doesNotContain("not for eve");
    }

    @Test
    void badParametersAre400AndNoTokenIs401() {
        TestUser bob = users.register("lp_bad");
        for (String query : new String[] {"cursor=abc", "cursor=-1", "cursor=1.5", "cursor=", "cursor=1&timeout=x",
                "cursor=1&timeout=-3", "cursor=99999999999999999999"}) {
            Api.Response response = api.get("/api/events?" + query, bob.token());
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.errorCode()).as(query).isEqualTo("VALIDATION_ERROR");
            assertThat(response.body().path("error").path("details").get(0).path("field").asString()).as(query)
                    .isIn("cursor", "timeout");
        }
        assertThat(api.get("/api/events?cursor=0", null).status()).isEqualTo(401);
    }

    @Test
    void returnedMessagesCountAsDelivered() {
        TestUser alice = users.register("lp_dr_a");
        TestUser bob = users.register("lp_dr_b");
        World.Chat chat = world.group("test group", alice, bob);
        long cursor = events.currentPosition();
        World.Message sent = chat.send(alice, "hi");
        api.get("/api/events?cursor=" + cursor + "&timeout=0", bob.token());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                jdbc.sql("SELECT last_delivered_position FROM chat_participants WHERE chat_id = :c AND user_id = :u")
                        .param("c", chat.uuid()).param("u", bob.id()).query(Long.class).single())
                .isEqualTo(sent.position()));
    }

    private JsonNode firstDurable(JsonNode list) {
        for (JsonNode event : list) {
            if (event.has("cursor")) {
                return event;
            }
        }
        throw new AssertionError("No durable event in " + list);
    }

    /** Waits until the user's long-poll is registered (it also makes the user online). */
    private void awaitWaiting(UUID userId) {
        await("the long-poll starts waiting").atMost(Duration.ofSeconds(10)).until(() -> "online".equals(
                jdbc.sql("SELECT status FROM users WHERE id = :id").param("id", userId).query(String.class).single()));
    }
}
