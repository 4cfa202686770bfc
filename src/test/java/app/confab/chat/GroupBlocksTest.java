package app.confab.chat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import app.confab.support.Api;
import app.confab.support.IntegrationTest;
import app.confab.support.Users.TestUser;

import static org.assertj.core.api.Assertions.assertThat;

/** A block holds in groups: nobody is put into a group by someone they blocked, or puts them in one. */
class GroupBlocksTest extends IntegrationTest {

    private void block(TestUser blocker, TestUser blocked) {
        Api.Response response = api.post("/api/contacts/" + blocked.id() + "/block", blocker.token(), null);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
    }

    @Test
    void someoneIBlockedCannotCreateAGroupWithMe() {
        TestUser me = world.user("blk_me");
        TestUser pest = world.user("blk_pest");
        TestUser friend = world.user("blk_friend");
        block(me, pest);

        Api.Response refused = api.post("/api/chats/group", pest.token(),
                Map.of("name", "gotcha", "participantIds", List.of(me.id(), friend.id())));

        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(refused.body().path("error").path("details").get(0).path("field").asString()).isEqualTo("participantIds");
        assertThat(api.get("/api/chats", me.token()).body().path("data").size()).isZero();
        // Without me, the group is fine.
        assertThat(api.post("/api/chats/group", pest.token(),
                Map.of("name", "fine", "participantIds", List.of(friend.id()))).status()).isEqualTo(201);
    }

    @Test
    void someoneIBlockedCannotAddMeToTheirGroup() {
        TestUser me = world.user("blk_me");
        TestUser pest = world.user("blk_pest");
        String group = api.post("/api/chats/group", pest.token(), Map.of("name", "lure", "participantIds", List.of()))
                .body().path("chat").path("id").asString();
        block(me, pest);

        Api.Response refused = api.post("/api/chats/" + group + "/participants", pest.token(), Map.of("userIds", List.of(me.id())));

        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(api.get("/api/chats/" + group, me.token()).status()).isEqualTo(404);
    }

    @Test
    void iCannotPutSomeoneIBlockedIntoMyGroupEither() {
        TestUser me = world.user("blk_me");
        TestUser blocked = world.user("blk_blocked");
        block(me, blocked);
        assertThat(api.post("/api/chats/group", me.token(),
                Map.of("name", "no", "participantIds", List.of(blocked.id()))).status()).isEqualTo(403);
        String group = api.post("/api/chats/group", me.token(), Map.of("name", "mine", "participantIds", List.of()))
                .body().path("chat").path("id").asString();
        assertThat(api.post("/api/chats/" + group + "/participants", me.token(),
                Map.of("userId", blocked.id())).status()).isEqualTo(403);
    }

    @Test
    void aThirdPersonMayStillAddBothToOneGroupAndUnblockingLiftsTheRule() {
        TestUser me = world.user("blk_me");
        TestUser pest = world.user("blk_pest");
        TestUser host = world.user("blk_host");
        block(me, pest);
        // The rule is between adder and added: a host who blocked nobody can have both.
        assertThat(api.post("/api/chats/group", host.token(),
                Map.of("name", "both", "participantIds", List.of(me.id(), pest.id()))).status()).isEqualTo(201);

        assertThat(api.delete("/api/contacts/" + pest.id() + "/block", me.token()).status()).isIn(200, 204);
        assertThat(api.post("/api/chats/group", pest.token(),
                Map.of("name", "again", "participantIds", List.of(me.id()))).status()).isEqualTo(201);
    }
}
